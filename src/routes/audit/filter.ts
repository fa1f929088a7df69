import type { AuditFilter } from '$lib/server/db/queries/audit';
import { addDays, zonedTime } from '$lib/shared/time';

/** The viewer's filters as typed (kept as they were, so a mistake can be corrected). */
export interface AuditQuery {
	action: string;
	actor: string;
	/** YYYY-MM-DD in the state's time zone, inclusive. */
	from: string;
	to: string;
	/** 1-based. */
	page: number;
}

export interface ParsedAuditQuery {
	query: AuditQuery;
	/** What the database is asked; a filter with a problem is left out of it. */
	filter: AuditFilter;
	/** What is wrong with the input, in words, by field. */
	problems: Partial<Record<'from' | 'to' | 'page', string>>;
}

function isCalendarDate(text: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
	// A real date survives the round trip (no 2025-02-30).
	return addDays(text, 0) === text;
}

/**
 * Read the viewer's query string. Days are whole days in `timeZone`: `to` includes all of
 * its day, so from=to=2025-01-16 is that one day.
 */
export function parseAuditQuery(params: URLSearchParams, timeZone: string): ParsedAuditQuery {
	const text = (name: string, max: number) => (params.get(name) ?? '').trim().slice(0, max);
	const query: AuditQuery = {
		action: text('action', 100),
		actor: text('actor', 100),
		from: text('from', 10),
		to: text('to', 10),
		page: 1
	};
	const problems: ParsedAuditQuery['problems'] = {};
	const filter: AuditFilter = {};
	if (query.action) filter.action = query.action;
	if (query.actor) filter.actor = query.actor;

	if (query.from) {
		if (isCalendarDate(query.from)) filter.from = zonedTime(query.from, '00:00', timeZone);
		else problems.from = 'The “from” day must be a date such as 2025-01-16.';
	}
	if (query.to) {
		if (isCalendarDate(query.to)) filter.to = zonedTime(addDays(query.to, 1), '00:00', timeZone);
		else problems.to = 'The “to” day must be a date such as 2025-01-16.';
	}
	if (filter.from && filter.to && filter.from >= filter.to) {
		problems.to = 'The “to” day is before the “from” day.';
		delete filter.to;
	}

	const page = params.get('page');
	if (page) {
		const n = Number(page);
		if (Number.isInteger(n) && n >= 1 && n <= 1_000_000) query.page = n;
		else problems.page = 'The page must be a whole number from 1.';
	}
	return { query, filter, problems };
}
