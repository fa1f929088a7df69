import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
	calendarDate,
	describeIssues,
	doseNumber,
	item,
	optionalText,
	parseInstant,
	shown,
	text,
	timestamp
} from './fields';

const issues = (schema: z.ZodType, value: unknown) => {
	const r = schema.safeParse(value);
	return r.success ? 'ok' : describeIssues(r.error);
};

describe('parseInstant', () => {
	it('reads Z, +HH:MM, +HHMM and fractions as the same kind of instant', () => {
		expect(parseInstant('2021-01-16T10:00:00+05:30')?.toISOString()).toBe(
			'2021-01-16T04:30:00.000Z'
		);
		expect(parseInstant('2021-01-16T04:30:00Z')?.toISOString()).toBe('2021-01-16T04:30:00.000Z');
		expect(parseInstant('2021-01-16T10:00+0530')?.toISOString()).toBe('2021-01-16T04:30:00.000Z');
		expect(parseInstant('2021-01-15T23:00:00.25-05:00')?.toISOString()).toBe(
			'2021-01-16T04:00:00.250Z'
		);
		expect(parseInstant('2021-01-16 10:00:00+05:30')?.toISOString()).toBe(
			'2021-01-16T04:30:00.000Z'
		);
	});

	it('refuses naive times, date-only values and impossible parts', () => {
		for (const s of [
			'2021-01-16 10:00',
			'2021-01-16T10:00:00',
			'2021-01-16',
			'2021-02-30T10:00:00Z',
			'2021-01-16T24:00:00Z',
			'2021-01-16T10:60:00Z',
			'2021-01-16T10:00:00+15:00',
			'16-01-2021T10:00:00Z',
			'yesterday'
		]) {
			expect(parseInstant(s), s).toBeNull();
		}
	});
});

describe('field schemas', () => {
	const shape = item({ at: timestamp, code: text(), date: calendarDate, dose: doseNumber });

	it('names each bad field with what was wrong and what was sent', () => {
		expect(issues(shape, { at: '2021-01-16 10:00', code: '  ', date: '2021-02-29', dose: 0 })).toBe(
			'at: must be ISO-8601 with a UTC offset, got "2021-01-16 10:00"; ' +
				'code: must not be empty; ' +
				'date: must be a date YYYY-MM-DD, got "2021-02-29"; ' +
				'dose: must be an integer from 1 to 10, got 0'
		);
	});

	it('says "required" for a missing field and names the wrong type', () => {
		expect(issues(shape, { at: 5, date: '2024-02-29', dose: 1.5 })).toBe(
			'at: must be an ISO-8601 timestamp with a UTC offset, got 5; code: required; ' +
				'dose: must be an integer from 1 to 10, got 1.5'
		);
	});

	it('refuses an element that is not an object', () => {
		expect(issues(shape, 'KA-1')).toBe('must be a JSON object, got "KA-1"');
		expect(issues(shape, null)).toBe('must be a JSON object, got null');
	});

	it('trims strings and caps ids at 200 characters', () => {
		expect(text().parse('  KA-BLR-0042 ')).toBe('KA-BLR-0042');
		expect(text().safeParse('x'.repeat(200)).success).toBe(true);
		expect(issues(item({ id: text() }), { id: 'x'.repeat(201) })).toBe(
			'id: must be at most 200 characters'
		);
	});

	it('turns absent, null and blank optional strings into null', () => {
		const s = item({ a: optionalText(), b: optionalText(), c: optionalText(), d: optionalText() });
		expect(s.parse({ b: null, c: '   ', d: ' x ' })).toEqual({ a: null, b: null, c: null, d: 'x' });
	});

	it('keeps long quoted values short in messages', () => {
		expect(shown('a'.repeat(100))).toHaveLength(60);
		expect(shown(undefined)).toBe('undefined');
	});
});
