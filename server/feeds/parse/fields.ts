/**
 * Field schemas and checks shared by every feed: strings, timestamps, dates, numbers,
 * and the wording of the errors a sender sees when an item is refused.
 */
import { z } from 'zod';

/** Longest id, code or reference we keep (site codes, beneficiary refs, message ids). */
export const MAX_ID = 200;
/** Longest free text we keep (names, reasons, probe details). */
export const MAX_TEXT = 1000;

/** A value as it was sent, short enough to quote in an error. */
export function shown(value: unknown): string {
	const s = JSON.stringify(value) ?? String(value);
	return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Error wording for a wrong type: "required" when absent, else what was expected and got. */
export function expected(what: string) {
	return (iss: { input?: unknown }) =>
		iss.input === undefined ? 'required' : `must be ${what}, got ${shown(iss.input)}`;
}

/** A required, trimmed, non-empty string of at most `max` characters. */
export function text(max = MAX_ID) {
	return z
		.string({ error: expected('a string') })
		.trim()
		.min(1, 'must not be empty')
		.max(max, `must be at most ${max} characters`);
}

/** An optional trimmed string; absent, null and blank all become null. */
export function optionalText(max = MAX_ID) {
	return z
		.string({ error: expected('a string') })
		.trim()
		.max(max, `must be at most ${max} characters`)
		.nullish()
		.transform((v) => v || null);
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
	return z.enum(values, { error: expected(`one of ${values.join(', ')}`) });
}

/** An integer in [min, max]. */
export function integer(min: number, max: number) {
	const what = `an integer from ${min} to ${max}`;
	return z
		.number({ error: expected(what) })
		.refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: expected(what) });
}

/** Dose number in a series: 1 for the first dose; 10 leaves room for boosters. */
export const doseNumber = integer(1, 10);

const TIMESTAMP =
	/^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The instant of an ISO-8601 / RFC 3339 timestamp that carries its UTC offset (or Z), else
 * null. A naive local time is refused: we cannot know which zone the sender meant. A space
 * instead of the T is accepted, as RFC 3339 allows.
 */
export function parseInstant(s: string): Date | null {
	const m = TIMESTAMP.exec(s);
	if (!m) return null;
	const [y, mo, d, h, mi, sec = '0'] = m.slice(1, 7).map((v) => v ?? '0');
	if (!isCalendarDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +sec > 59) return null;
	const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
	let offset = 0;
	if (!m[8]) {
		if (+m[10] > 14 || +m[11] > 59) return null;
		offset = (m[9] === '-' ? -1 : 1) * (+m[10] * 60 + +m[11]);
	}
	return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms) - offset * 60000);
}

/** A timestamp with its UTC offset, as a Date. */
export const timestamp = z
	.string({ error: expected('an ISO-8601 timestamp with a UTC offset') })
	.trim()
	.transform((s, ctx) => {
		const at = parseInstant(s);
		if (at) return at;
		ctx.addIssue({
			code: 'custom',
			message: `must be ISO-8601 with a UTC offset, got ${shown(s)}`
		});
		return z.NEVER;
	});

export const optionalTimestamp = timestamp.nullish().transform((v) => v ?? null);

export function isCalendarDate(y: number, m: number, d: number): boolean {
	const t = new Date(0);
	t.setUTCFullYear(y, m - 1, d);
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A calendar date YYYY-MM-DD that exists (no 2021-02-30). */
export const calendarDate = z
	.string({ error: expected('a date YYYY-MM-DD') })
	.trim()
	.refine(
		(s) => {
			const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
			return m !== null && isCalendarDate(+m[1], +m[2], +m[3]);
		},
		{ error: (iss) => `must be a date YYYY-MM-DD, got ${shown(iss.input)}` }
	);

export const optionalCalendarDate = calendarDate.nullish().transform((v) => v || null);

/** "a.b[2].c" for an error path. */
function pathText(path: readonly PropertyKey[]): string {
	return path
		.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
		.join('');
}

/** Every problem zod found, as "field: what is wrong", joined by "; ". */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((i) => (i.path.length ? `${pathText(i.path)}: ${i.message}` : i.message))
		.join('; ');
}

/** A JSON object with these fields; unknown extra fields are dropped, not refused. */
export function item<S extends z.ZodRawShape>(shape: S) {
	return z.object(shape, { error: expected('a JSON object') });
}
