import { describe, expect, it } from 'vitest';
import { decideSpikes, type SpikeComplaint, type SpikeRule } from './spike';

const MIN = 60_000;
const rule: SpikeRule = { count: 20, windowMs: 15 * MIN };
const now = Date.parse('2021-01-16T05:00:00Z');

/** n OTP complaints from Pune, one a `stepMs` apart, the last at `lastMs`. */
function burst(
	n: number,
	lastMs = now,
	stepMs = 10_000,
	over: Partial<SpikeComplaint> = {}
): SpikeComplaint[] {
	return Array.from({ length: n }, (_, i) => ({
		category: 'otp_not_received',
		districtCode: '521',
		atMs: lastMs - (n - 1 - i) * stepMs,
		...over
	}));
}

describe('the complaint spike rule', () => {
	it('does not open at one below the threshold', () => {
		expect(decideSpikes(burst(19), [], [], rule, now)).toEqual([]);
	});

	it('opens at the threshold, dated when the count was reached', () => {
		const complaints = burst(20);
		expect(decideSpikes(complaints, [], [], rule, now)).toEqual([
			{
				kind: 'open',
				category: 'otp_not_received',
				districtCode: '521',
				count: 20,
				atMs: complaints[19].atMs,
				firstAtMs: complaints[0].atMs,
				lastAtMs: complaints[19].atMs
			}
		]);
	});

	it('counts only the window: a complaint exactly one window old is out', () => {
		const complaints = [
			...burst(19),
			{ category: 'otp_not_received', districtCode: '521', atMs: now - 15 * MIN } as const
		];
		expect(decideSpikes(complaints, [], [], rule, now)).toEqual([]);
		const inside = [
			...burst(19),
			{ category: 'otp_not_received', districtCode: '521', atMs: now - 15 * MIN + 1 } as const
		];
		expect(decideSpikes(inside, [], [], rule, now)).toHaveLength(1);
	});

	it('counts each category and district apart', () => {
		const complaints = [
			...burst(10),
			...burst(10, now, 10_000, { districtCode: '505' }),
			...burst(10, now, 10_000, { category: 'sms_not_received' })
		];
		expect(decideSpikes(complaints, [], [], rule, now)).toEqual([]);
	});

	it('leaves complaints dated in the future for later', () => {
		const complaints = [
			...burst(19),
			{ category: 'otp_not_received', districtCode: '521', atMs: now + MIN } as const
		];
		expect(decideSpikes(complaints, [], [], rule, now)).toEqual([]);
	});

	it('raises one alert per burst: an open spike grows instead of opening again', () => {
		const open = [
			{ id: 'a1', category: 'otp_not_received' as const, districtCode: '521', count: 20 }
		];
		expect(decideSpikes(burst(20), open, [], rule, now)).toEqual([]);
		expect(decideSpikes(burst(25), open, [], rule, now)).toEqual([
			{ kind: 'grow', id: 'a1', count: 25, lastAtMs: now }
		]);
	});

	it('closes once the window holds fewer than half the threshold', () => {
		const open = [
			{ id: 'a1', category: 'otp_not_received' as const, districtCode: '521', count: 24 }
		];
		expect(decideSpikes(burst(10), open, [], rule, now)).toEqual([]);
		expect(decideSpikes(burst(9), open, [], rule, now)).toEqual([
			{ kind: 'close', id: 'a1', count: 9 }
		]);
	});

	it('does not raise the same burst again after its alert was closed', () => {
		const closed = [
			{ category: 'otp_not_received' as const, districtCode: '521', closedAtMs: now - MIN }
		];
		// 20 in the window, but only 6 of them came after the alert was closed.
		expect(decideSpikes(burst(20), [], closed, rule, now)).toEqual([]);
		// A new burst after the closing counts afresh.
		const fresh = burst(20, now, 2_000);
		expect(decideSpikes(fresh, [], closed, rule, now)).toEqual([
			expect.objectContaining({ kind: 'open', count: 20 })
		]);
	});
});
