/**
 * CoWIN public API v2 (calendarByDistrict, findByDistrict) -> SessionRecord. CoWIN's data is
 * loose: ids and pincodes come as numbers, lat/long as 0 or whole degrees.
 */
import { z } from 'zod';
import type { SessionRecord, SiteInfo } from '../../../src/lib/shared/feeds';
import { zonedTime } from '../../../src/lib/shared/time';
import { expected, integer, isCalendarDate, item, optionalText, shown, text } from './fields';
import { add, check, fail, ok, type ItemResult } from './items';
import type { Parsed } from './types';

const centerId = z
	.union([z.number(), z.string()], { error: expected('a number or a string') })
	.transform((v) => String(v).trim())
	.refine((v) => v !== '' && v.length <= 200, 'must be a non-empty id');

/** DD-MM-YYYY -> YYYY-MM-DD. */
const cowinDate = z
	.string({ error: expected('a date DD-MM-YYYY') })
	.trim()
	.transform((s, ctx) => {
		const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s);
		if (m && isCalendarDate(+m[3], +m[2], +m[1])) return `${m[3]}-${m[2]}-${m[1]}`;
		ctx.addIssue({ code: 'custom', message: `must be a date DD-MM-YYYY, got ${shown(s)}` });
		return z.NEVER;
	});

const clock = z
	.string({ error: expected('a time HH:MM:SS') })
	.trim()
	.regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a time HH:MM:SS')
	.nullish();

/** A coordinate, or undefined: CoWIN sends 0 for "not known", which is not a place. */
const coordinate = (limit: number) =>
	z
		.unknown()
		.optional()
		.transform((v) => {
			const ok = typeof v === 'number' && Number.isFinite(v) && v !== 0 && Math.abs(v) <= limit;
			return ok ? v : undefined;
		});

const centerFields = {
	center_id: centerId,
	name: text(),
	district_name: optionalText(),
	pincode: z
		.union([z.number(), z.string()], { error: expected('a number or a string') })
		.nullish()
		.transform((v) => (v === null || v === undefined || v === 0 ? null : String(v).trim() || null)),
	lat: coordinate(90),
	long: coordinate(180),
	from: clock,
	to: clock
};

const capacityField = integer(0, 1_000_000);
const sessionFields = {
	session_id: text(),
	date: cowinDate,
	available_capacity: capacityField,
	available_capacity_dose1: capacityField.nullish(),
	available_capacity_dose2: capacityField.nullish(),
	vaccine: optionalText()
};

const center = item({
	...centerFields,
	sessions: z.array(z.unknown(), { error: expected('an array') })
});
const session = item(sessionFields);
const flatSession = item({ ...centerFields, ...sessionFields });

type Center = z.infer<z.ZodObject<typeof centerFields>>;
type Session = z.infer<typeof session>;

function toRecord(c: Center, s: Session, timeZone: string): SessionRecord {
	// available_capacity is what is left to book, the only capacity CoWIN publishes. Where
	// the per-dose counts add up to more (seen in captures), trust the larger figure.
	const perDose = (s.available_capacity_dose1 ?? 0) + (s.available_capacity_dose2 ?? 0);
	const site: SiteInfo = { name: c.name };
	// CoWIN district ids are not census codes, so districtCode stays unset.
	if (c.district_name) site.districtName = c.district_name;
	if (c.pincode) site.pincode = c.pincode;
	if (c.lat !== undefined) site.lat = c.lat;
	if (c.long !== undefined) site.lon = c.long;
	return {
		sessionId: s.session_id,
		siteCode: c.center_id,
		date: s.date,
		capacity: Math.max(s.available_capacity, perDose),
		vaccine: s.vaccine,
		startsAt: c.from ? zonedTime(s.date, c.from, timeZone) : null,
		endsAt: c.to ? zonedTime(s.date, c.to, timeZone) : null,
		site
	};
}

/**
 * calendarByDistrict centers: one record per inner session, all under the center's index.
 * A bad session costs only itself; its raw is the center holding just that session, so a
 * replay of it is a valid centers array element.
 */
export function addCenter(
	out: Parsed<SessionRecord>,
	index: number,
	raw: unknown,
	timeZone: string
): void {
	const c = check(center, raw);
	if (!c.ok) return add(out, index, c, raw);
	c.value.sessions.forEach((rawSession, i) => {
		const s = check(session, rawSession);
		const r = s.ok
			? ok(toRecord(c.value, s.value, timeZone))
			: fail<SessionRecord>(`sessions[${i}]${sessionName(rawSession)}: ${s.error}`);
		add(out, index, r, { ...(raw as object), sessions: [rawSession] });
	});
}

/** One findByDistrict session (center fields and session fields in one object). */
export function readFlatSession(raw: unknown, timeZone: string): ItemResult<SessionRecord> {
	const r = check(flatSession, raw);
	return r.ok ? ok(toRecord(r.value, r.value, timeZone)) : r;
}

function sessionName(raw: unknown): string {
	const id = (raw as { session_id?: unknown } | null)?.session_id;
	return typeof id === 'string' ? ` (session_id ${shown(id)})` : '';
}
