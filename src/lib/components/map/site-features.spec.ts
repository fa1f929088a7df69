import { describe, expect, it } from 'vitest';
import type { SiteLive } from '$lib/shared/live';
import { holdSites, siteCollection, siteUpdate } from './site-features';

const site = (code: string, status: SiteLive['status'], lon: number | null = 73.8): SiteLive => ({
	code,
	name: `Site ${code}`,
	districtCode: '521',
	status,
	dosesToday: 0,
	lastDoseAt: null,
	lastHeartbeatAt: null,
	lat: lon === null ? null : 18.5,
	lon
});

const many = (n: number) =>
	Array.from({ length: n }, (_, i) => site(`S${i}`, 'active', 73 + i / 100));

describe('site features', () => {
	it('leaves out sites without a location (they are in the tables)', () => {
		expect(siteCollection([site('A', 'active'), site('B', 'idle', null)]).features).toEqual([
			{
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [73.8, 18.5] },
				properties: { code: 'A', status: 'active' }
			}
		]);
	});

	it('sends only the sites whose status changed', () => {
		const before = many(10);
		const after = before.slice();
		after[3] = { ...after[3], status: 'stalled', dosesToday: 9 };
		after[5] = { ...after[5], dosesToday: 4 }; // not drawn: no change for the map
		expect(siteUpdate(holdSites(before), after)).toEqual({
			kind: 'diff',
			changed: 1,
			diff: {
				add: [],
				remove: [],
				update: [{ id: 'S3', addOrUpdateProperties: [{ key: 'status', value: 'stalled' }] }]
			}
		});
		expect(siteUpdate(holdSites(after), after)).toEqual({ kind: 'none' });
	});

	it('adds new sites, moves relocated ones and removes those no longer held', () => {
		const before = many(10);
		const after = [...before.slice(1), site('NEW', 'idle')];
		after[0] = { ...after[0], lon: 80 };
		const update = siteUpdate(holdSites(before), after);
		expect(update.kind).toBe('diff');
		if (update.kind !== 'diff') return;
		expect(update.diff.add?.map((f) => f.properties?.code)).toEqual(['NEW']);
		expect(update.diff.remove).toEqual(['S0']);
		expect(update.diff.update).toEqual([
			{
				id: 'S1',
				newGeometry: { type: 'Point', coordinates: [80, 18.5] },
				addOrUpdateProperties: [{ key: 'status', value: 'active' }]
			}
		]);
	});

	it('sends the whole collection when most sites changed at once', () => {
		const before = many(10);
		const after = before.map((s) => ({ ...s, status: 'stalled' as const }));
		const update = siteUpdate(holdSites(before), after);
		expect(update.kind).toBe('full');
		if (update.kind === 'full') expect(update.data.features).toHaveLength(10);
	});
});
