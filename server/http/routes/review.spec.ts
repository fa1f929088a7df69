import { describe, expect, it } from 'vitest';
import { wantsCsv } from './review';

describe('wantsCsv', () => {
	it('answers CSV when asked for it, by header or by ?format=csv', () => {
		expect(wantsCsv('text/csv', null)).toBe(true);
		expect(wantsCsv('text/csv, application/json;q=0.5', null)).toBe(true);
		expect(wantsCsv(undefined, 'csv')).toBe(true);
		expect(wantsCsv('application/json', 'CSV')).toBe(true);
	});

	it('answers JSON otherwise', () => {
		expect(wantsCsv(undefined, null)).toBe(false);
		expect(wantsCsv('*/*', null)).toBe(false);
		expect(wantsCsv('application/json, text/csv;q=0.9', null)).toBe(false);
		expect(wantsCsv('text/csv;q=0', null)).toBe(false);
		expect(wantsCsv('text/csv', 'json')).toBe(false);
	});
});
