import { z } from 'zod';
import type { SessionRecord } from '../../../src/lib/shared/feeds';
import { addCenter, readFlatSession } from './cowin';
import {
	calendarDate,
	expected,
	integer,
	item,
	optionalText,
	optionalTimestamp,
	text
} from './fields';
import { add, check, emptyParsed } from './items';
import { BodyError, type ParseOptions, type Parsed } from './types';

const coordinate = (limit: number) =>
	z
		.number({ error: expected(`a number from -${limit} to ${limit}`) })
		.refine((n) => Math.abs(n) <= limit, { error: expected(`a number from -${limit} to ${limit}`) })
		.nullish()
		.transform((v) => v ?? undefined);

const optional = (schema: z.ZodType<string | null>) => schema.transform((v) => v ?? undefined);

const site = item({
	name: text(),
	districtCode: optional(optionalText()),
	districtName: optional(optionalText()),
	lat: coordinate(90),
	lon: coordinate(180),
	// Contract says string; a number is the same pincode.
	pincode: optional(
		z
			.union([z.string(), z.number().int()], { error: expected('a string') })
			.nullish()
			.transform((v) => (v === null || v === undefined ? null : String(v).trim() || null))
	)
}).transform((s) => {
	// Leave out what was not sent rather than carry keys set to undefined.
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
	return out as typeof s;
});

const sessionPlan: z.ZodType<SessionRecord> = item({
	sessionId: text(),
	siteCode: text(),
	date: calendarDate,
	capacity: integer(0, 1_000_000),
	vaccine: optionalText(),
	startsAt: optionalTimestamp,
	endsAt: optionalTimestamp,
	site: site.nullish()
})
	.refine((p) => !p.startsAt || !p.endsAt || p.endsAt > p.startsAt, {
		path: ['endsAt'],
		message: 'must be after startsAt'
	})
	.transform(({ site, ...plan }) => (site ? { ...plan, site } : plan));

/** CoWIN elements carry center_id; our own SessionPlan never does. */
const isCowin = (raw: unknown) => raw !== null && typeof raw === 'object' && 'center_id' in raw;

/**
 * An array of SessionPlan, or CoWIN's forms: `{centers: [...]}` (calendarByDistrict), a bare
 * centers array, or `{sessions: [...]}` (findByDistrict). Each array element is read by its
 * own shape, so index is always the element's position in the array that was sent.
 */
export function parseSessions(body: unknown, opts: ParseOptions): Parsed<SessionRecord> {
	const list = sessionList(body);
	const out = emptyParsed<SessionRecord>();
	list.forEach((raw, index) => {
		if (!isCowin(raw)) return add(out, index, check(sessionPlan, raw), raw);
		if ('sessions' in (raw as object)) return addCenter(out, index, raw, opts.timeZone);
		add(out, index, readFlatSession(raw, opts.timeZone), raw);
	});
	return out;
}

function sessionList(body: unknown): unknown[] {
	if (Array.isArray(body)) return body;
	const b = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
	if (Array.isArray(b.centers)) return b.centers;
	if (Array.isArray(b.sessions)) return b.sessions;
	throw new BodyError(
		'expected a JSON array of SessionPlan, or a CoWIN response {"centers": [...]} or {"sessions": [...]}'
	);
}
