import { describe, expect, it } from 'vitest';
import {
	addDays,
	localClock,
	localDate,
	startOfLocalDay,
	startOfLocalHour,
	zonedTime
} from './time';

describe('state time zone helpers', () => {
	it('puts 20:00 UTC on the next calendar day in India', () => {
		const at = new Date('2021-01-15T20:00:00Z');
		expect(localDate(at, 'Asia/Kolkata')).toBe('2021-01-16');
		expect(localDate(at, 'UTC')).toBe('2021-01-15');
		expect(startOfLocalDay(at, 'Asia/Kolkata').toISOString()).toBe('2021-01-15T18:30:00.000Z');
	});

	it('finds the start of the local hour with a half-hour offset', () => {
		const at = new Date('2021-01-16T04:10:00Z'); // 09:40 IST
		expect(startOfLocalHour(at, 'Asia/Kolkata').toISOString()).toBe('2021-01-16T03:30:00.000Z');
		expect(localClock(at, 'Asia/Kolkata')).toBe('09:40');
	});

	it('turns a local wall-clock time into an instant, DST zones included', () => {
		expect(zonedTime('2021-01-16', '09:00', 'Asia/Kolkata').toISOString()).toBe(
			'2021-01-16T03:30:00.000Z'
		);
		expect(zonedTime('2021-07-01', '09:00', 'Europe/London').toISOString()).toBe(
			'2021-07-01T08:00:00.000Z'
		);
	});

	it('adds days across month ends', () => {
		expect(addDays('2021-01-31', 1)).toBe('2021-02-01');
		expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
	});
});
