import { describe, expect, it } from 'vitest';
import { demoAppointments, demoSessionId, demoSessionWindow, demoState } from './seed';

const tz = 'Asia/Kolkata';

describe('demoSessionWindow', () => {
	it('opens at the start of the local hour two hours back, for ten hours', () => {
		// 11:40 IST on launch day.
		const w = demoSessionWindow(new Date('2021-01-16T06:10:00Z'), tz);
		expect(w.date).toBe('2021-01-16');
		expect(w.startsAt.toISOString()).toBe('2021-01-16T03:30:00.000Z'); // 09:00 IST
		expect(w.endsAt.toISOString()).toBe('2021-01-16T13:30:00.000Z'); // 19:00 IST
	});

	it('keeps the local date of now when the window began the evening before', () => {
		// 00:30 IST.
		const w = demoSessionWindow(new Date('2021-01-15T19:00:00Z'), tz);
		expect(w.date).toBe('2021-01-16');
		expect(w.startsAt.toISOString()).toBe('2021-01-15T16:30:00.000Z'); // 22:00 IST the day before
	});
});

describe('demoAppointments', () => {
	const startsAt = new Date('2021-01-16T03:30:00Z'); // 09:00 IST

	it('books about 40 people over the session’s hourly slots', () => {
		const rows = demoAppointments('MH-505-01', '2021-01-16', startsAt, tz);
		expect(rows.length).toBeGreaterThanOrEqual(36);
		expect(rows.length).toBeLessThanOrEqual(44);
		expect(rows[0].beneficiaryRef).toBe('B-MH-505-01-001');
		expect(rows[0].slot).toBe('09:00-10:00');
		expect(rows[rows.length - 1].slot).toBe('18:00-19:00');
		for (const r of rows) {
			expect(r.phone).toMatch(/^\+9198\d{8}$/);
			expect(r.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
			expect(r.slot).toMatch(/^\d{2}:00-\d{2}:00$/);
		}
		expect(new Set(rows.map((r) => r.beneficiaryRef)).size).toBe(rows.length);
	});

	it('gives a beneficiary the same name and phone on any day', () => {
		const a = demoAppointments('MH-505-02', '2021-01-16', startsAt, tz);
		const b = demoAppointments('MH-505-02', '2021-01-17', new Date('2021-01-17T03:30:00Z'), tz);
		expect(b.map((r) => [r.beneficiaryRef, r.name, r.phone])).toEqual(
			a.map((r) => [r.beneficiaryRef, r.name, r.phone])
		);
	});
});

describe('demoState', () => {
	it('is built once', () => {
		const s = demoState();
		expect(demoState()).toBe(s);
		expect(s.districts).toHaveLength(36);
		expect(s.geometry.features).toHaveLength(36);
		expect(demoSessionId(s.sites[0].code, '2021-01-16')).toBe('S-MH-497-01-2021-01-16');
	});
});
