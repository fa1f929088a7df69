import { describe, expect, it } from 'vitest';
import type { DistrictLive } from '$lib/shared/live';
import { bandColours, bandLabel, formatShare, NONE, throughput } from './bands';

const district = (over: Partial<DistrictLive>): DistrictLive => ({
	code: '521',
	name: 'Pune',
	dosesToday: 0,
	dosesLastHour: 0,
	capacityPerHour: 0,
	plannedToday: 0,
	sitesActive: 0,
	sitesIdle: 0,
	sitesStalled: 0,
	sitesManual: 0,
	sitesClosed: 0,
	smsSent: 0,
	smsFailed: 0,
	...over
});

describe('throughput bands', () => {
	it('puts the last hour against the capacity open now, each band from its lower bound', () => {
		const band = (lastHour: number) =>
			throughput(district({ dosesLastHour: lastHour, capacityPerHour: 100 }), 'hour').band;
		expect([0, 24, 25, 49, 50, 74, 75, 99, 100, 250].map(band)).toEqual([
			0, 0, 1, 1, 2, 2, 3, 3, 4, 4
		]);
	});

	it("puts today's doses against today's target when asked", () => {
		const d = district({
			dosesToday: 600,
			plannedToday: 1000,
			dosesLastHour: 0,
			capacityPerHour: 80
		});
		expect(throughput(d, 'target')).toEqual({ done: 600, planned: 1000, share: 0.6, band: 2 });
		expect(throughput(d, 'hour').band).toBe(0);
	});

	it('says so when nothing is planned, rather than showing 0 %', () => {
		const d = district({ dosesLastHour: 5 });
		expect(throughput(d, 'hour')).toMatchObject({ share: null, band: NONE });
		expect(bandLabel(NONE, 'hour')).toBe('No session open');
		expect(formatShare(null)).toBe('—');
	});

	it('labels every band, so no colour stands alone', () => {
		expect(bandColours.map((_, b) => bandLabel(b, 'hour'))).toEqual([
			'0–25 % of plan',
			'25–50 % of plan',
			'50–75 % of plan',
			'75–100 % of plan',
			'At or above plan (100 %+)'
		]);
		expect(formatShare(0.644)).toBe('64 %');
	});

	it("colours by today's SMS delivery, with bands that separate good from worrying", () => {
		const d = district({});
		const sms = { '521': { sent: 200, delivered: 186 } };
		expect(throughput(d, 'sms', sms)).toEqual({ done: 186, planned: 200, share: 0.93, band: 3 });
		expect(throughput(d, 'sms', {}).band).toBe(NONE);
		expect(bandLabel(3, 'sms')).toBe('90–98 % delivered');
		expect(bandLabel(4, 'sms')).toBe('98 % delivered or more');
		expect(bandLabel(NONE, 'sms')).toBe('No SMS sent');
	});
});
