/**
 * What a review asks for (GET /api/v1/review and the review pages): a range of local
 * dates and a choice of districts, read from query parameters the same way everywhere.
 */
import { addDays } from './time';

/** The longest range one review covers (days). */
export const MAX_REVIEW_DAYS = 366;
/** Without from/to: the week ending on `to` (today by default). */
export const DEFAULT_REVIEW_DAYS = 7;

export interface ReviewParams {
	from: string;
	to: string;
	/** The districts asked for; empty: all the caller may see. */
	districts: string[];
}

export type ParsedReviewParams =
	{ ok: true; params: ReviewParams } | { ok: false; problems: string[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(text: string): boolean {
	if (!DATE.test(text)) return false;
	const [y, m, d] = text.split('-').map(Number);
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * `from`, `to` (YYYY-MM-DD, inclusive) and `district` (repeated, or comma-separated).
 * Only `to`: the week ending then; only `from`: from then to today (at most the maximum).
 */
export function parseReviewParams(search: URLSearchParams, today: string): ParsedReviewParams {
	const problems: string[] = [];
	const fromText = search.get('from')?.trim() || '';
	const toText = search.get('to')?.trim() || '';
	if (fromText && !isDate(fromText))
		problems.push(`from: must be a date YYYY-MM-DD, got "${fromText}"`);
	if (toText && !isDate(toText)) problems.push(`to: must be a date YYYY-MM-DD, got "${toText}"`);
	if (problems.length > 0) return { ok: false, problems };

	let from: string;
	let to: string;
	if (toText) {
		to = toText;
		from = fromText || addDays(to, -(DEFAULT_REVIEW_DAYS - 1));
	} else if (fromText) {
		from = fromText;
		to = today >= from ? today : from;
	} else {
		to = today;
		from = addDays(today, -(DEFAULT_REVIEW_DAYS - 1));
	}
	if (from > to) return { ok: false, problems: [`from (${from}) is after to (${to})`] };
	const days = daysBetween(from, to) + 1;
	if (days > MAX_REVIEW_DAYS) {
		return { ok: false, problems: [`the range is ${days} days; at most ${MAX_REVIEW_DAYS}`] };
	}

	const districts = [
		...new Set(
			search
				.getAll('district')
				.flatMap((v) => v.split(','))
				.map((v) => v.trim())
				.filter(Boolean)
		)
	];
	return { ok: true, params: { from, to, districts } };
}

/** The review shown when nothing (or nothing valid) is asked for: the week ending today. */
export function defaultReviewParams(today: string): ReviewParams {
	return { from: addDays(today, -(DEFAULT_REVIEW_DAYS - 1)), to: today, districts: [] };
}

/** The query string of a review (for links between the page, print view and exports). */
export function reviewSearch(params: ReviewParams, extra: Record<string, string> = {}): string {
	const search = new URLSearchParams({ from: params.from, to: params.to });
	for (const d of params.districts) search.append('district', d);
	for (const [k, v] of Object.entries(extra)) search.set(k, v);
	return search.toString();
}
