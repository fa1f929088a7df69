import { describe, expect, it } from 'vitest';
import { formatMinutes, formatPercent, formatRange, formatTableDate, targetBand } from './format';

describe('review formats', () => {
	it('rounds percentages without claiming none or all when it is not so', () => {
		expect(formatPercent(null)).toBe('—');
		expect(formatPercent(0)).toBe('0%');
		expect(formatPercent(0.3)).toBe('<1%');
		expect(formatPercent(99.7)).toBe('99%');
		expect(formatPercent(100)).toBe('100%');
		expect(formatPercent(123.4)).toBe('123%');
	});

	it('writes minutes as hours and minutes', () => {
		expect(formatMinutes(0)).toBe('—');
		expect(formatMinutes(45)).toBe('45 min');
		expect(formatMinutes(120)).toBe('2 h');
		expect(formatMinutes(95)).toBe('1 h 35 min');
	});

	it('writes a range of days', () => {
		expect(formatRange('2021-01-10', '2021-01-16')).toBe('10 Jan – 16 Jan 2021');
		expect(formatRange('2020-12-28', '2021-01-03')).toBe('Mon 28 Dec 2020 – 3 Jan 2021');
		expect(formatRange('2021-01-16', '2021-01-16')).toBe('Sat 16 Jan 2021');
		expect(formatTableDate('2021-01-16')).toBe('Sat 16 Jan');
	});

	it('bands the share of the target', () => {
		expect(targetBand(null).short).toBe('No target');
		expect(targetBand(100).short).toBe('≥ 100%');
		expect(targetBand(99.9).short).toBe('80–99%');
		expect(targetBand(50).short).toBe('50–79%');
		expect(targetBand(10).short).toBe('< 50%');
	});
});
