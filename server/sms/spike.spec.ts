import { describe, expect, it } from 'vitest';
import { planSpikes, spikeSummary, type SpikeRule } from './spike';

const rule: SpikeRule = { threshold: 0.2, minMessages: 50 };
const recent = (districtCode: string, delivered: number, failed: number, noReport = 0) => ({
	districtCode,
	delivered,
	failed,
	noReport,
	topReason: failed >= noReport ? 'dnd_blocked' : 'no_report'
});

describe('SMS failure spikes', () => {
	it('opens at the threshold once the window holds enough messages', () => {
		const plan = planSpikes(
			[recent('521', 40, 10), recent('505', 30, 9), recent('517', 100, 19)],
			[],
			rule
		);
		// 10 of 50 is 20%: opens. 9 of 39 is over 20% but too few. 19 of 119 is under.
		expect(plan.open.map((r) => r.districtCode)).toEqual(['521']);
		expect(plan.open[0]).toMatchObject({ total: 50, rate: 0.2 });
	});

	it('counts no-report messages as failures', () => {
		const plan = planSpikes([recent('521', 50, 0, 20)], [], rule);
		expect(plan.open[0]).toMatchObject({ rate: 20 / 70, topReason: 'no_report' });
	});

	it('does not open a second alert for a district that has one', () => {
		const plan = planSpikes(
			[recent('521', 10, 90)],
			[{ id: 'a', districtCode: '521', rate: 0.9 }],
			rule
		);
		expect(plan).toEqual({ open: [], update: [], close: [] });
	});

	it('restates an open alert whose rate moved by 5 points, and closes below half the threshold', () => {
		const open = [
			{ id: 'a', districtCode: '521', rate: 0.5 },
			{ id: 'b', districtCode: '505', rate: 0.3 },
			{ id: 'c', districtCode: '517', rate: 0.3 },
			{ id: 'd', districtCode: '520', rate: 0.3 }
		];
		const plan = planSpikes(
			[recent('521', 60, 40), recent('505', 95, 5), recent('517', 5, 4)],
			open,
			rule
		);
		expect(plan.update.map((u) => u.id)).toEqual(['a']);
		// 505: 5% of 100, below 10%: closed. 517: too few messages to tell: stays. 520: silent.
		expect(plan.close.map((c) => [c.id, c.reason])).toEqual([
			['b', 'failure rate down to 5% of 100 messages'],
			['d', 'no messages in the last 10 minutes']
		]);
	});

	it('says where, how bad and why', () => {
		const [r] = planSpikes([recent('521', 60, 40)], [], rule).open;
		expect(spikeSummary('Pune', r)).toBe(
			'SMS failing in Pune: 40% of 100 messages in the last 10 minutes (mostly DND / blocked)'
		);
	});
});
