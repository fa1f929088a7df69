import { describe, expect, it } from 'vitest';
import type { AlertLive, Delta, DistrictLive, SiteLive, Snapshot } from '$lib/shared/live';
import { applyDelta, deltaOrder } from './apply';

const district = (code: string, dosesToday: number): DistrictLive => ({
	code,
	name: `District ${code}`,
	dosesToday,
	dosesLastHour: 0,
	capacityPerHour: 100,
	plannedToday: 1000,
	sitesActive: 0,
	sitesIdle: 0,
	sitesStalled: 0,
	sitesManual: 0,
	sitesClosed: 0,
	smsSent: 0,
	smsFailed: 0
});

const site = (code: string, status: SiteLive['status'], dosesToday = 0): SiteLive => ({
	code,
	name: `Site ${code}`,
	districtCode: '521',
	status,
	dosesToday,
	lastDoseAt: null,
	lastHeartbeatAt: null,
	lat: null,
	lon: null
});

const alert = (id: string, summary = `alert ${id}`): AlertLive => ({
	id,
	kind: 'site_stalled',
	status: 'open',
	openedAt: '2021-01-16T10:00:00+05:30',
	summary
});

const totals = (dosesToday: number) => ({
	dosesToday,
	sitesActive: 1,
	sitesStalled: 1,
	sitesManual: 0,
	smsFailedToday: 0
});

function snapshot(): Snapshot {
	return {
		seq: 10,
		epoch: 'e1',
		at: '2021-01-16T10:00:00+05:30',
		day: '2021-01-16',
		timeZone: 'Asia/Kolkata',
		simulated: false,
		thresholds: { stallMinutes: 30, startupGraceMinutes: 45 },
		totals: totals(15),
		districts: [district('505', 5), district('521', 10)],
		sites: [site('S1', 'active', 10), site('S2', 'stalled')],
		health: [{ target: 'cowin', status: 'up', latencyMs: 120, at: '2021-01-16T10:00:00+05:30' }],
		alerts: [alert('A1'), alert('A2')]
	};
}

const delta = (seq: number, extra: Partial<Delta> = {}): Delta => ({
	seq,
	epoch: 'e1',
	at: '2021-01-16T10:00:01+05:30',
	day: '2021-01-16',
	totals: totals(20),
	...extra
});

describe('deltaOrder', () => {
	it('accepts the next seq only', () => {
		const s = snapshot();
		expect(deltaOrder(s, delta(11))).toBe('next');
		expect(deltaOrder(s, delta(10))).toBe('old');
		expect(deltaOrder(s, delta(3))).toBe('old');
		expect(deltaOrder(s, delta(12))).toBe('gap');
	});

	it('treats another epoch as a different stream, whatever the seq', () => {
		expect(deltaOrder(snapshot(), delta(11, { epoch: 'e2' }))).toBe('epoch');
	});
});

describe('applyDelta', () => {
	it('takes seq, time and totals from the delta and keeps untouched lists as they are', () => {
		const s = snapshot();
		const next = applyDelta(s, delta(11));
		expect(next.seq).toBe(11);
		expect(next.at).toBe('2021-01-16T10:00:01+05:30');
		expect(next.totals.dosesToday).toBe(20);
		expect(next.sites).toBe(s.sites);
		expect(next.districts).toBe(s.districts);
		expect(next.health).toBe(s.health);
		expect(next.alerts).toBe(s.alerts);
		expect(next.simulated).toBe(false);
		expect(next.timeZone).toBe('Asia/Kolkata');
	});

	it('does not mutate the state it was given', () => {
		const s = snapshot();
		const before = structuredClone(s);
		applyDelta(
			s,
			delta(11, {
				districts: [district('521', 15)],
				sites: [site('S2', 'active', 1)],
				alertsClosed: ['A1']
			})
		);
		expect(s).toEqual(before);
	});

	it('replaces districts and sites by code, keeping order, and appends new ones', () => {
		const next = applyDelta(
			snapshot(),
			delta(11, {
				districts: [district('521', 15)],
				sites: [site('S2', 'active', 1), site('S3', 'idle')]
			})
		);
		expect(next.districts.map((d) => [d.code, d.dosesToday])).toEqual([
			['505', 5],
			['521', 15]
		]);
		expect(next.sites.map((x) => [x.code, x.status])).toEqual([
			['S1', 'active'],
			['S2', 'active'],
			['S3', 'idle']
		]);
	});

	it('replaces health by target', () => {
		const next = applyDelta(
			snapshot(),
			delta(11, {
				health: [
					{ target: 'cowin', status: 'down', latencyMs: null, at: null },
					{ target: 'sms', status: 'up', latencyMs: 80, at: null }
				]
			})
		);
		expect(next.health.map((h) => [h.target, h.status])).toEqual([
			['cowin', 'down'],
			['sms', 'up']
		]);
	});

	it('updates, adds and closes alerts by id', () => {
		const next = applyDelta(
			snapshot(),
			delta(11, {
				alerts: [{ ...alert('A2', 'changed'), status: 'acknowledged' }, alert('A3')],
				alertsClosed: ['A1']
			})
		);
		expect(next.alerts.map((a) => [a.id, a.status, a.summary])).toEqual([
			['A2', 'acknowledged', 'changed'],
			['A3', 'open', 'alert A3']
		]);
	});

	it('closes an alert opened in the same delta', () => {
		const next = applyDelta(snapshot(), delta(11, { alerts: [alert('A3')], alertsClosed: ['A3'] }));
		expect(next.alerts.map((a) => a.id)).toEqual(['A1', 'A2']);
	});

	it('applies a run of deltas in order', () => {
		let s = snapshot();
		for (let seq = 11; seq <= 15; seq++) {
			s = applyDelta(s, delta(seq, { districts: [district('521', seq)] }));
		}
		expect(s.seq).toBe(15);
		expect(s.districts.find((d) => d.code === '521')?.dosesToday).toBe(15);
	});
});
