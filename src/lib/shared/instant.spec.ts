import { describe, expect, it } from 'vitest';
import { formatStamp, isoInZone } from './instant';

describe('isoInZone', () => {
	it('writes the instant with the zone’s offset', () => {
		const at = new Date('2025-01-16T04:30:05.120Z');
		expect(isoInZone(at, 'Asia/Kolkata')).toBe('2025-01-16T10:00:05.120+05:30');
		expect(isoInZone(at, 'UTC')).toBe('2025-01-16T04:30:05.120+00:00');
		expect(isoInZone(at, 'America/New_York')).toBe('2025-01-15T23:30:05.120-05:00');
	});

	it('round-trips to the same instant', () => {
		const at = new Date('2025-03-31T18:29:59.999Z');
		expect(new Date(isoInZone(at, 'Asia/Kolkata')).getTime()).toBe(at.getTime());
	});
});

describe('formatStamp', () => {
	it('shows day and time in the zone, and a dash for nothing', () => {
		expect(formatStamp('2025-01-16T18:45:00Z', 'Asia/Kolkata')).toMatch(/17 Jan 2025,? 00:15:00/);
		expect(formatStamp(null, 'Asia/Kolkata')).toBe('—');
		expect(formatStamp('not a date', 'Asia/Kolkata')).toBe('—');
	});
});
