import { describe, expect, it } from 'vitest';
import { percentAt, tickStep, timeTicks } from './axis';

const HOUR = 3_600_000;

describe('timeline axis', () => {
	it('picks about six ticks per window', () => {
		expect(tickStep(HOUR)).toBe(10 * 60_000);
		expect(tickStep(6 * HOUR)).toBe(HOUR);
		expect(tickStep(24 * HOUR)).toBe(4 * HOUR);
	});

	it('puts ticks on round hours of the state zone, not of UTC', () => {
		// 04:10 UTC = 09:40 IST; six hours later 15:40 IST.
		const from = Date.parse('2021-01-16T04:10:00Z');
		const ticks = timeTicks(from, from + 6 * HOUR, 'Asia/Kolkata');
		expect(ticks.map((t) => new Date(t).toISOString())).toEqual([
			'2021-01-16T04:30:00.000Z', // 10:00 IST
			'2021-01-16T05:30:00.000Z',
			'2021-01-16T06:30:00.000Z',
			'2021-01-16T07:30:00.000Z',
			'2021-01-16T08:30:00.000Z',
			'2021-01-16T09:30:00.000Z' // 15:00 IST
		]);
	});

	it('places instants in percent of the window, clamped to it', () => {
		expect(percentAt(150, 100, 200)).toBe(50);
		expect(percentAt(50, 100, 200)).toBe(0);
		expect(percentAt(250, 100, 200)).toBe(100);
	});
});
