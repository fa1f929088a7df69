import { describe, expect, it } from 'vitest';
import { describeRule, formatLatency, formatRate } from './format';

describe('health formatting', () => {
	it('shows milliseconds under a second and seconds above', () => {
		expect(formatLatency(180)).toBe('180 ms');
		expect(formatLatency(999)).toBe('999 ms');
		expect(formatLatency(2300)).toBe('2.3 s');
		expect(formatLatency(null)).toBe('—');
	});

	it('shows small failure rates with a decimal', () => {
		expect(formatRate(0)).toBe('0%');
		expect(formatRate(0.025)).toBe('2.5%');
		expect(formatRate(0.4)).toBe('40%');
		expect(formatRate(null)).toBe('—');
	});

	it('puts the incident rule in words', () => {
		expect(
			describeRule({
				openAfter: 2,
				closeAfter: 3,
				errorRate: 0.5,
				errorWindowMs: 300_000,
				errorMinSamples: 5
			})
		).toBe(
			'An incident opens after 2 slow or failed checks in a row, or when 50% of the checks in 5 min fail (at least 5 checks); it closes after 3 good checks in a row.'
		);
	});
});
