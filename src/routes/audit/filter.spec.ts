import { describe, expect, it } from 'vitest';
import { parseAuditQuery } from './filter';

const TZ = 'Asia/Kolkata';
const parse = (qs: string) => parseAuditQuery(new URLSearchParams(qs), TZ);

describe('parseAuditQuery', () => {
	it('reads days as whole days in the state’s time zone', () => {
		const { filter, problems } = parse('from=2025-01-16&to=2025-01-16');
		expect(problems).toEqual({});
		// Midnight IST is 18:30 UTC the evening before.
		expect(filter.from?.toISOString()).toBe('2025-01-15T18:30:00.000Z');
		expect(filter.to?.toISOString()).toBe('2025-01-16T18:30:00.000Z');
	});

	it('keeps action and actor, trimmed', () => {
		const { filter, query } = parse('action=site.mode&actor=%20pune%20');
		expect(filter).toEqual({ action: 'site.mode', actor: 'pune' });
		expect(query).toMatchObject({ action: 'site.mode', actor: 'pune', page: 1 });
	});

	it('names each bad field, keeps what was typed, and leaves it out of the filter', () => {
		const { filter, query, problems } = parse('from=16/01/2025&to=2025-02-30&page=0');
		expect(filter).toEqual({});
		expect(query.from).toBe('16/01/2025');
		expect(problems.from).toMatch(/date such as/);
		expect(problems.to).toMatch(/date such as/);
		expect(problems.page).toMatch(/whole number/);
		expect(query.page).toBe(1);
	});

	it('refuses a range that ends before it starts', () => {
		const { filter, problems } = parse('from=2025-01-17&to=2025-01-16');
		expect(problems.to).toMatch(/before/);
		expect(filter.to).toBeUndefined();
		expect(filter.from).toBeDefined();
	});

	it('reads the page', () => {
		expect(parse('page=3').query.page).toBe(3);
	});
});
