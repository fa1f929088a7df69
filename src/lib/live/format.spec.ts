import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatCount, formatDay, minutesAgo } from './format';

describe('format', () => {
	it('groups digits the Indian way', () => {
		expect(formatCount(12345678)).toBe('1,23,45,678');
		expect(formatCount(999)).toBe('999');
		expect(formatCount(null)).toBe('—');
	});

	it('shows clock times in the state zone, not the browser zone', () => {
		expect(formatClock('2021-01-16T04:30:00Z', 'Asia/Kolkata')).toBe('10:00');
		expect(formatClock('2021-01-16T23:59:00+05:30', 'Asia/Kolkata')).toBe('23:59');
		expect(formatClock(null, 'Asia/Kolkata')).toBe('—');
		expect(formatClock('not a time', 'Asia/Kolkata')).toBe('—');
	});

	it('writes the state day in words without shifting it', () => {
		expect(formatDay('2021-01-16')).toBe('Saturday 16 January 2021');
	});

	it('counts whole minutes ago, never negative', () => {
		const now = Date.parse('2021-01-16T10:10:30+05:30');
		expect(minutesAgo('2021-01-16T10:00:00+05:30', now)).toBe(10);
		expect(minutesAgo('2021-01-16T10:11:00+05:30', now)).toBe(0);
		expect(minutesAgo(null, now)).toBeNull();
	});

	it('says how long ago in minutes, then hours', () => {
		expect(formatAgo(0)).toBe('');
		expect(formatAgo(null)).toBe('');
		expect(formatAgo(17)).toBe('17 min ago');
		expect(formatAgo(60)).toBe('1 h ago');
		expect(formatAgo(125)).toBe('2 h 5 min ago');
	});
});
