/**
 * The SMS board, call lists and call marks: rollup writes (in the ingest transaction),
 * the board's reads (rollups only, never a scan of the messages), a site's call list for
 * one date, and the marks staff put on it.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { CallOutcome, SmsOutcome } from '../../../shared/sms';
import { resultRows, type Db } from '../client';
import { alertEvents, alerts, callMarks } from '../schema';

const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------
// Writes, in the ingest transaction

/** Serialises SMS writes (messages and reports, on every node) so a report and its message
 * written at the same moment by two transactions cannot miss each other. */
export async function lockSmsWrites(db: Db): Promise<void> {
	// Two 32-bit keys: 'LDCC' and 2 (1 is the leader lock).
	await db.execute(sql`select pg_advisory_xact_lock(${0x4c444343}, 2)`);
}

export interface SmsRollupRows {
	siteDays: {
		day: string;
		siteCode: string;
		outcome: SmsOutcome;
		reason: string;
		messages: number;
	}[];
	pendingMinutes: { minute: Date; districtCode: string; messages: number }[];
	outcomeBuckets: {
		bucket: Date;
		districtCode: string;
		outcome: SmsOutcome;
		reason: string;
		messages: number;
	}[];
}

/** Add a batch's increments to the rollups (rows come sorted, so locks are taken in order). */
export async function addSmsRollups(db: Db, rows: SmsRollupRows): Promise<void> {
	const { siteDays, pendingMinutes, outcomeBuckets } = rows;
	if (siteDays.length) {
		const col = <T>(pick: (r: (typeof siteDays)[number]) => T) => sql.param(siteDays.map(pick));
		await db.execute(sql`
			insert into sms_site_days (day, site_code, outcome, reason, messages)
			select * from unnest(
				${col((r) => r.day)}::text[]::date[],
				${col((r) => r.siteCode)}::text[],
				${col((r) => r.outcome)}::text[],
				${col((r) => r.reason)}::text[],
				${col((r) => r.messages)}::int[]
			)
			on conflict (day, site_code, outcome, reason)
				do update set messages = sms_site_days.messages + excluded.messages`);
	}
	if (pendingMinutes.length) {
		const col = <T>(pick: (r: (typeof pendingMinutes)[number]) => T) =>
			sql.param(pendingMinutes.map(pick));
		await db.execute(sql`
			insert into sms_pending_by_district (minute, district_code, messages)
			select * from unnest(
				${col((r) => r.minute.toISOString())}::text[]::timestamptz[],
				${col((r) => r.districtCode)}::text[],
				${col((r) => r.messages)}::int[]
			)
			on conflict (minute, district_code)
				do update set messages = sms_pending_by_district.messages + excluded.messages`);
	}
	if (outcomeBuckets.length) {
		const col = <T>(pick: (r: (typeof outcomeBuckets)[number]) => T) =>
			sql.param(outcomeBuckets.map(pick));
		await db.execute(sql`
			insert into sms_outcome_buckets (bucket, district_code, outcome, reason, messages)
			select * from unnest(
				${col((r) => r.bucket.toISOString())}::text[]::timestamptz[],
				${col((r) => r.districtCode)}::text[],
				${col((r) => r.outcome)}::text[],
				${col((r) => r.reason)}::text[],
				${col((r) => r.messages)}::int[]
			)
			on conflict (bucket, district_code, outcome, reason)
				do update set messages = sms_outcome_buckets.messages + excluded.messages`);
	}
}

/**
 * Build the rollups again from the messages (days in `timeZone`): after the tables were
 * added to a database that already held messages, or after APP_TIMEZONE changed. One scan.
 */
export async function rebuildSmsRollups(db: Db, timeZone: string): Promise<void> {
	await lockSmsWrites(db);
	await db.execute(sql`delete from sms_site_days`);
	await db.execute(sql`delete from sms_pending_by_district`);
	await db.execute(sql`delete from sms_outcome_buckets`);
	await db.execute(sql`
		insert into sms_site_days (day, site_code, outcome, reason, messages)
		select (sent_at at time zone ${timeZone})::date, site_code, ${outcomeSql},
			${reasonSql}, count(*)::int
		from sms_messages group by 1, 2, 3, 4`);
	await db.execute(sql`
		insert into sms_pending_by_district (minute, district_code, messages)
		select date_trunc('minute', m.sent_at), s.district_code, count(*)::int
		from sms_messages m join sites s on s.code = m.site_code
		where m.status in ('queued', 'sent') group by 1, 2`);
	await db.execute(sql`
		insert into sms_outcome_buckets (bucket, district_code, outcome, reason, messages)
		select to_timestamp(floor(extract(epoch from m.status_at) / 300) * 300), s.district_code,
			${outcomeSql}, ${reasonSql}, count(*)::int
		from sms_messages m join sites s on s.code = m.site_code
		where m.status not in ('queued', 'sent') and m.status_at is not null
		group by 1, 2, 3, 4`);
}

const outcomeSql = sql.raw(`(case when status = 'delivered' then 'delivered'
	when status in ('queued', 'sent') then 'pending' else 'failed' end)`);
const reasonSql = sql.raw(`(case when status in ('queued', 'sent', 'delivered') then ''
	else coalesce(reason_group, 'unknown') end)`);

/** Drop pending-minute rows older than `before`: only the recent ones are ever read. */
export async function prunePendingMinutes(db: Db, before: Date): Promise<number> {
	const result = await db.execute(
		sql`delete from sms_pending_by_district where minute < ${before.toISOString()}::timestamptz returning 1`
	);
	return resultRows(result).length;
}

// ---------------------------------------------------------------------------------------
// The board

/** Counts of messages sent on one day, by where they stand now. */
export interface SmsCounts {
	sent: number;
	delivered: number;
	/** Failed with a reason, by reason group. */
	failed: Record<string, number>;
	/** Still pending after SMS_NO_REPORT_MINUTES. */
	noReport: number;
	/** Pending, but sent too recently to count as no report. */
	awaiting: number;
}

export interface BoardScope {
	/** The local day (APP_TIMEZONE) whose messages are counted, and when it started. */
	day: string;
	dayStart: Date;
	/** Pending messages sent at or after this minute still wait; earlier ones are `no report`. */
	noReportCut: Date;
	/** Districts to count (null: all). */
	districts: string[] | null;
}

function districtFilter(column: SQL, districts: string[] | null): SQL {
	return districts === null ? sql`true` : sql`${column} = any(${sql.param(districts)}::text[])`;
}

interface CountRow {
	key: string;
	outcome: SmsOutcome;
	reason: string;
	messages: number;
}

function fold(rows: CountRow[], recent: Map<string, number>): Map<string, SmsCounts> {
	const out = new Map<string, SmsCounts>();
	const get = (key: string) => {
		let c = out.get(key);
		if (!c) out.set(key, (c = { sent: 0, delivered: 0, failed: {}, noReport: 0, awaiting: 0 }));
		return c;
	};
	for (const r of rows) {
		const c = get(r.key);
		const n = Number(r.messages);
		c.sent += n;
		if (r.outcome === 'delivered') c.delivered += n;
		else if (r.outcome === 'failed') c.failed[r.reason] = (c.failed[r.reason] ?? 0) + n;
		else c.noReport += n; // pending; the recent part is moved to `awaiting` below
	}
	for (const [key, n] of recent) {
		const c = get(key);
		const waiting = Math.min(n, c.noReport);
		c.awaiting += waiting;
		c.noReport -= waiting;
	}
	return out;
}

/** Per district: the day's messages by where they stand now (rollups only). */
export async function smsCountsByDistrict(
	db: Db,
	scope: BoardScope
): Promise<Map<string, SmsCounts>> {
	const [rows, recent] = await Promise.all([
		db.execute(sql`
			select s.district_code as key, r.outcome, r.reason, sum(r.messages)::int as messages
			from sms_site_days r join sites s on s.code = r.site_code
			where r.day = ${scope.day}::date and ${districtFilter(sql.raw('s.district_code'), scope.districts)}
			group by 1, 2, 3`),
		db.execute(sql`
			select district_code as key, sum(messages)::int as messages
			from sms_pending_by_district
			where minute >= greatest(${scope.noReportCut.toISOString()}::timestamptz, ${scope.dayStart.toISOString()}::timestamptz)
				and ${districtFilter(sql.raw('district_code'), scope.districts)}
			group by 1`)
	]);
	return fold(
		resultRows<CountRow>(rows),
		new Map(
			resultRows<{ key: string; messages: number }>(recent).map((r) => [r.key, Number(r.messages)])
		)
	);
}

export interface SiteCounts extends SmsCounts {
	siteCode: string;
	name: string;
	districtCode: string;
}

/**
 * The sites with the most failed and no-report messages today (ties: the lower delivery
 * rate first), at most `limit`.
 */
export async function worstSites(db: Db, scope: BoardScope, limit: number): Promise<SiteCounts[]> {
	if (limit <= 0) return [];
	const rows = resultRows<CountRow>(
		await db.execute(sql`
			with totals as (
				select site_code,
					sum(messages) filter (where outcome <> 'delivered') as bad,
					sum(messages) as sent
				from sms_site_days r
				where day = ${scope.day}::date
				group by 1
			),
			worst as (
				select t.site_code from totals t join sites s on s.code = t.site_code
				where t.bad > 0 and ${districtFilter(sql.raw('s.district_code'), scope.districts)}
				order by t.bad desc, t.bad::float8 / t.sent desc, t.site_code
				limit ${limit * 3}
			)
			select r.site_code as key, r.outcome, r.reason, r.messages::int as messages
			from sms_site_days r join worst w on w.site_code = r.site_code
			where r.day = ${scope.day}::date`)
	);
	const candidates = [...new Set(rows.map((r) => r.key))];
	if (candidates.length === 0) return [];
	// Which of the candidates' pending messages are too recent to be `no report`: a range of
	// the (site, sent_at) index per candidate, the last SMS_NO_REPORT_MINUTES only.
	const recent = resultRows<{ key: string; messages: number }>(
		await db.execute(sql`
			select site_code as key, count(*)::int as messages from sms_messages
			where site_code = any(${sql.param(candidates)}::text[])
				and sent_at >= greatest(${scope.noReportCut.toISOString()}::timestamptz, ${scope.dayStart.toISOString()}::timestamptz)
				and status in ('queued', 'sent')
			group by 1`)
	);
	const counts = fold(rows, new Map(recent.map((r) => [r.key, Number(r.messages)])));
	const siteRows = resultRows<{ code: string; name: string; district_code: string }>(
		await db.execute(sql`select code, name, district_code from sites
			where code = any(${sql.param(candidates)}::text[])`)
	);
	const failing = (c: SmsCounts) => Object.values(c.failed).reduce((a, b) => a + b, 0) + c.noReport;
	// Recent pending messages are not failures yet: the order is settled here, not in SQL.
	return siteRows
		.map((s) => ({
			siteCode: s.code,
			name: s.name,
			districtCode: s.district_code,
			...counts.get(s.code)!
		}))
		.filter((s) => failing(s) > 0)
		.sort(
			(a, b) =>
				failing(b) - failing(a) ||
				failing(b) / b.sent - failing(a) / a.sent ||
				(a.siteCode < b.siteCode ? -1 : 1)
		)
		.slice(0, limit);
}

export interface OutcomeBucket {
	bucketMs: number;
	outcome: SmsOutcome;
	reason: string;
	messages: number;
}

/** Final outcomes by 5-minute bucket of the report's time in [from, to), summed over districts. */
export async function outcomesOverTime(
	db: Db,
	params: { from: Date; to: Date; districts: string[] | null }
): Promise<OutcomeBucket[]> {
	const result = await db.execute(sql`
		select (extract(epoch from bucket) * 1000)::float8 as bucket_ms, outcome, reason,
			sum(messages)::int as messages
		from sms_outcome_buckets
		where bucket >= ${params.from.toISOString()}::timestamptz and bucket < ${params.to.toISOString()}::timestamptz
			and ${districtFilter(sql.raw('district_code'), params.districts)}
		group by 1, 2, 3 order by 1`);
	return resultRows<{ bucket_ms: number; outcome: SmsOutcome; reason: string; messages: number }>(
		result
	).map((r) => ({
		bucketMs: Number(r.bucket_ms),
		outcome: r.outcome,
		reason: r.reason,
		messages: Number(r.messages)
	}));
}

export interface RecentDistrictOutcomes {
	districtCode: string;
	delivered: number;
	failed: number;
	/** Messages that became `no report` in the window. */
	noReport: number;
	/** The failure reason group seen most in the window ('no_report' included). */
	topReason: string | null;
}

/**
 * Per district, what became of messages in [from, now): final outcomes by report time, and
 * messages that passed SMS_NO_REPORT_MINUTES without a final report in that time.
 */
export async function recentOutcomesByDistrict(
	db: Db,
	params: { from: Date; now: Date; noReportMinutes: number }
): Promise<RecentDistrictOutcomes[]> {
	const lag = params.noReportMinutes * MINUTE;
	const floorMinute = (ms: number) => new Date(Math.floor(ms / MINUTE) * MINUTE);
	const [finals, silent] = await Promise.all([
		db.execute(sql`
			select district_code, outcome, reason, sum(messages)::int as messages
			from sms_outcome_buckets
			where bucket >= ${params.from.toISOString()}::timestamptz and bucket <= ${params.now.toISOString()}::timestamptz
			group by 1, 2, 3`),
		db.execute(sql`
			select district_code, sum(messages)::int as messages
			from sms_pending_by_district
			where minute >= ${floorMinute(params.from.getTime() - lag).toISOString()}::timestamptz
				and minute < ${floorMinute(params.now.getTime() - lag).toISOString()}::timestamptz
			group by 1`)
	]);
	const out = new Map<string, RecentDistrictOutcomes & { reasons: Map<string, number> }>();
	const get = (code: string) => {
		let d = out.get(code);
		if (!d)
			out.set(
				code,
				(d = {
					districtCode: code,
					delivered: 0,
					failed: 0,
					noReport: 0,
					topReason: null,
					reasons: new Map()
				})
			);
		return d;
	};
	for (const r of resultRows<{
		district_code: string;
		outcome: SmsOutcome;
		reason: string;
		messages: number;
	}>(finals)) {
		const d = get(r.district_code);
		const n = Number(r.messages);
		if (r.outcome === 'delivered') d.delivered += n;
		else if (r.outcome === 'failed') {
			d.failed += n;
			d.reasons.set(r.reason, (d.reasons.get(r.reason) ?? 0) + n);
		}
	}
	for (const r of resultRows<{ district_code: string; messages: number }>(silent)) {
		const d = get(r.district_code);
		d.noReport += Number(r.messages);
		d.reasons.set('no_report', (d.reasons.get('no_report') ?? 0) + Number(r.messages));
	}
	return [...out.values()].map(({ reasons, ...d }) => {
		let top: string | null = null;
		for (const [reason, n] of reasons)
			if (n > 0 && (top === null || n > reasons.get(top)!)) top = reason;
		return { ...d, topReason: top };
	});
}

// ---------------------------------------------------------------------------------------
// Call lists

/** A person expected at a site on a date, with their appointment messages. */
export interface CallListPerson {
	beneficiaryRef: string;
	name: string | null;
	phone: string | null;
	slot: string | null;
	messages: {
		messageId: string;
		status: string;
		reasonGroup: string | null;
		errorCode: string | null;
		reason: string | null;
		sentAtMs: number;
		phone: string | null;
		resendOf: string | null;
	}[];
	mark: { outcome: CallOutcome; by: string; atMs: number } | null;
}

/**
 * Everyone with an appointment at the site on the date, each with the appointment messages
 * meant for it: those with that session date, and those without one sent on the date or in
 * the two days before (`sentFrom`, `sentTo`: the instants bounding that).
 */
export async function callListPeople(
	db: Db,
	params: { siteCode: string; date: string; sentFrom: Date; sentTo: Date }
): Promise<CallListPerson[]> {
	const result = await db.execute(sql`
		with a as (
			select beneficiary_ref, name, phone, slot from appointments
			where site_code = ${params.siteCode} and date = ${params.date}::date
		),
		m as (
			select m.beneficiary_ref, m.message_id, m.status, m.reason_group, m.error_code, m.reason,
				(extract(epoch from m.sent_at) * 1000)::float8 as sent_ms, m.phone, m.resend_of
			from sms_messages m
			where m.site_code = ${params.siteCode} and m.kind = 'appointment'
				and (m.session_date = ${params.date}::date
					or (m.session_date is null and m.sent_at >= ${params.sentFrom.toISOString()}::timestamptz
						and m.sent_at < ${params.sentTo.toISOString()}::timestamptz))
				and m.beneficiary_ref in (select beneficiary_ref from a)
		)
		select a.beneficiary_ref, a.name, a.phone, a.slot,
			c.outcome as mark_outcome, c.marked_by as mark_by,
			(extract(epoch from c.marked_at) * 1000)::float8 as mark_ms,
			coalesce(json_agg(json_build_object(
				'messageId', m.message_id, 'status', m.status, 'reasonGroup', m.reason_group,
				'errorCode', m.error_code, 'reason', m.reason, 'sentAtMs', m.sent_ms, 'phone', m.phone,
				'resendOf', m.resend_of) order by m.sent_ms) filter (where m.message_id is not null), '[]'::json) as messages
		from a
		left join m on m.beneficiary_ref = a.beneficiary_ref
		left join call_marks c on c.site_code = ${params.siteCode} and c.date = ${params.date}::date
			and c.beneficiary_ref = a.beneficiary_ref
		group by a.beneficiary_ref, a.name, a.phone, a.slot, c.outcome, c.marked_by, c.marked_at
		order by a.slot nulls last, a.beneficiary_ref`);
	return resultRows<{
		beneficiary_ref: string;
		name: string | null;
		phone: string | null;
		slot: string | null;
		mark_outcome: CallOutcome | null;
		mark_by: string | null;
		mark_ms: number | null;
		messages: CallListPerson['messages'] | string;
	}>(result).map((r) => ({
		beneficiaryRef: r.beneficiary_ref,
		name: r.name,
		phone: r.phone,
		slot: r.slot,
		// PGlite and postgres.js both parse json, but be safe with a driver that does not.
		messages: (typeof r.messages === 'string' ? JSON.parse(r.messages) : r.messages).map(
			(m: CallListPerson['messages'][number]) => ({ ...m, sentAtMs: Number(m.sentAtMs) })
		),
		mark:
			r.mark_outcome && r.mark_by && r.mark_ms !== null
				? { outcome: r.mark_outcome, by: r.mark_by, atMs: Number(r.mark_ms) }
				: null
	}));
}

/** Whether a person has an appointment at the site on the date. */
export async function hasAppointment(
	db: Db,
	params: { siteCode: string; date: string; beneficiaryRef: string }
): Promise<boolean> {
	const result = await db.execute(sql`
		select 1 from appointments where site_code = ${params.siteCode} and date = ${params.date}::date
			and beneficiary_ref = ${params.beneficiaryRef}`);
	return resultRows(result).length > 0;
}

/** Mark a person (the latest mark wins); returns when the database recorded it. */
export async function setCallMark(
	db: Db,
	mark: { siteCode: string; date: string; beneficiaryRef: string; outcome: CallOutcome; by: string }
): Promise<Date> {
	const [row] = await db
		.insert(callMarks)
		.values({
			siteCode: mark.siteCode,
			date: mark.date,
			beneficiaryRef: mark.beneficiaryRef,
			outcome: mark.outcome,
			markedBy: mark.by
		})
		.onConflictDoUpdate({
			target: [callMarks.siteCode, callMarks.date, callMarks.beneficiaryRef],
			set: { outcome: mark.outcome, markedBy: mark.by, markedAt: sql`now()` }
		})
		.returning({ at: callMarks.markedAt });
	return row.at;
}

/** Clear a mark (the person is back on the list); false when there was none. */
export async function clearCallMark(
	db: Db,
	key: { siteCode: string; date: string; beneficiaryRef: string }
): Promise<boolean> {
	const rows = await db
		.delete(callMarks)
		.where(
			and(
				eq(callMarks.siteCode, key.siteCode),
				eq(callMarks.date, key.date),
				eq(callMarks.beneficiaryRef, key.beneficiaryRef)
			)
		)
		.returning({ ref: callMarks.beneficiaryRef });
	return rows.length > 0;
}

// ---------------------------------------------------------------------------------------
// Resends and receipt ids

export interface ResendSource {
	messageId: string;
	beneficiaryRef: string;
	siteCode: string;
	kind: string;
	status: string;
	phone: string | null;
	sessionDate: string | null;
	sentAtMs: number;
}

/** The messages asked to be resent, as held. */
export async function messagesById(db: Db, ids: string[]): Promise<ResendSource[]> {
	if (ids.length === 0) return [];
	const result = await db.execute(sql`
		select message_id, beneficiary_ref, site_code, kind, status, phone, session_date::text as session_date,
			(extract(epoch from sent_at) * 1000)::float8 as sent_ms
		from sms_messages where message_id = any(${sql.param(ids)}::text[])`);
	return resultRows<{
		message_id: string;
		beneficiary_ref: string;
		site_code: string;
		kind: string;
		status: string;
		phone: string | null;
		session_date: string | null;
		sent_ms: number;
	}>(result).map((r) => ({
		messageId: r.message_id,
		beneficiaryRef: r.beneficiary_ref,
		siteCode: r.site_code,
		kind: r.kind,
		status: r.status,
		phone: r.phone,
		sessionDate: r.session_date,
		sentAtMs: Number(r.sent_ms)
	}));
}

/** How many resends each message already has. */
export async function resendCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
	if (ids.length === 0) return new Map();
	const result = await db.execute(sql`
		select resend_of, count(*)::int as n from sms_messages
		where resend_of = any(${sql.param(ids)}::text[]) group by 1`);
	return new Map(
		resultRows<{ resend_of: string; n: number }>(result).map((r) => [r.resend_of, Number(r.n)])
	);
}

/**
 * For receipt ids with no message of exactly that id: the message each one matches under
 * another spelling (`variants` of each id), when exactly one does.
 */
export async function matchReceiptIds(
	db: Db,
	variants: Map<string, string[]>
): Promise<Map<string, string>> {
	const ids = [...variants.keys()];
	if (ids.length === 0) return new Map();
	const exact = await heldMessageIds(db, ids);
	const loose = ids.filter((id) => !exact.has(id));
	if (loose.length === 0) return new Map();
	const candidates = [...new Set(loose.flatMap((id) => variants.get(id) ?? []))];
	const held = await heldMessageIds(db, candidates);
	const out = new Map<string, string>();
	for (const id of loose) {
		const hits = [...new Set((variants.get(id) ?? []).filter((v) => v !== id && held.has(v)))];
		if (hits.length === 1) out.set(id, hits[0]);
	}
	return out;
}

/**
 * Which of these message ids are held: one primary-key probe per id (a lateral subquery with
 * a limit), as the planner would rather scan every message than probe thousands of ids.
 */
async function heldMessageIds(db: Db, ids: string[]): Promise<Set<string>> {
	const result = await db.execute(sql`
		select m.message_id from unnest(${sql.param(ids)}::text[]) as i(id)
		cross join lateral (
			select message_id from sms_messages where message_id = i.id limit 1
		) m`);
	return new Set(resultRows<{ message_id: string }>(result).map((r) => r.message_id));
}

/** Of these (message, status) pairs, those a report is already held for. */
export async function heldReportKeys(
	db: Db,
	pairs: { messageId: string; status: string }[]
): Promise<Set<string>> {
	if (pairs.length === 0) return new Set();
	// One probe of the primary key's (message_id, status) prefix per pair.
	const result = await db.execute(sql`
		select distinct p.message_id || '|' || p.status as key
		from unnest(${sql.param(pairs.map((p) => p.messageId))}::text[], ${sql.param(pairs.map((p) => p.status))}::text[])
			as p(message_id, status)
		cross join lateral (
			select 1 from sms_reports r
			where r.message_id = p.message_id and r.status = p.status limit 1
		) r`);
	return new Set(resultRows<{ key: string }>(result).map((r) => r.key));
}

/** A site's session windows on a date (epoch ms; null for the default hours). */
export async function siteSessionWindows(
	db: Db,
	params: { siteCode: string; date: string }
): Promise<{ startsAtMs: number | null; endsAtMs: number | null }[]> {
	const result = await db.execute(sql`
		select (extract(epoch from starts_at) * 1000)::float8 as starts_ms,
			(extract(epoch from ends_at) * 1000)::float8 as ends_ms
		from sessions where site_code = ${params.siteCode} and date = ${params.date}::date
		order by starts_at nulls first`);
	return resultRows<{ starts_ms: number | null; ends_ms: number | null }>(result).map((r) => ({
		startsAtMs: r.starts_ms === null ? null : Number(r.starts_ms),
		endsAtMs: r.ends_ms === null ? null : Number(r.ends_ms)
	}));
}

/** A site as the call list names it, or null when there is no such site. */
export async function siteForCallList(
	db: Db,
	siteCode: string
): Promise<{ code: string; name: string; districtCode: string } | null> {
	const result = await db.execute(
		sql`select code, name, district_code from sites where code = ${siteCode}`
	);
	const row = resultRows<{ code: string; name: string; district_code: string }>(result)[0];
	return row ? { code: row.code, name: row.name, districtCode: row.district_code } : null;
}

/** Slot and phone per person with an appointment at the site on the date. */
export async function appointmentSlots(
	db: Db,
	params: { siteCode: string; date: string }
): Promise<Map<string, { slot: string | null; phone: string | null }>> {
	const result = await db.execute(sql`
		select beneficiary_ref, slot, phone from appointments
		where site_code = ${params.siteCode} and date = ${params.date}::date`);
	return new Map(
		resultRows<{ beneficiary_ref: string; slot: string | null; phone: string | null }>(result).map(
			(r) => [r.beneficiary_ref, { slot: r.slot, phone: r.phone }]
		)
	);
}

// ---------------------------------------------------------------------------------------
// SMS failure alerts

/** Serialises failure-rate passes across nodes sharing a database ('LDCC', 3). */
export async function lockSmsAlerts(db: Db): Promise<void> {
	await db.execute(sql`select pg_advisory_xact_lock(${0x4c444343}, 3)`);
}

export interface SmsAlertRow {
	id: string;
	status: 'open' | 'acknowledged';
	openedAt: Date;
	districtCode: string;
	summary: string;
	detail: { rate?: number } | null;
}

/** Open (or acknowledged) alerts of one kind that name a district. */
export async function openDistrictAlerts(db: Db, kind: string): Promise<SmsAlertRow[]> {
	const rows = await db
		.select({
			id: alerts.id,
			status: alerts.status,
			openedAt: alerts.openedAt,
			districtCode: alerts.districtCode,
			summary: alerts.summary,
			detail: alerts.detail
		})
		.from(alerts)
		.where(and(eq(alerts.kind, kind), inArray(alerts.status, ['open', 'acknowledged'])));
	return rows
		.filter((r) => r.districtCode !== null)
		.map((r) => ({
			...r,
			status: r.status === 'acknowledged' ? 'acknowledged' : 'open',
			districtCode: r.districtCode!,
			detail: (r.detail ?? null) as SmsAlertRow['detail']
		}));
}

export async function openDistrictAlert(
	db: Db,
	alert: { kind: string; districtCode: string; openedAt: Date; summary: string; detail: unknown }
): Promise<SmsAlertRow> {
	const [row] = await db
		.insert(alerts)
		.values({ ...alert, status: 'open' })
		.returning({ id: alerts.id });
	await db.insert(alertEvents).values({
		alertId: row.id,
		at: alert.openedAt,
		kind: 'opened',
		actor: 'system',
		text: alert.summary
	});
	return {
		id: row.id,
		status: 'open',
		openedAt: alert.openedAt,
		districtCode: alert.districtCode,
		summary: alert.summary,
		detail: alert.detail as SmsAlertRow['detail']
	};
}

export async function restateAlert(
	db: Db,
	id: string,
	params: { summary: string; detail: unknown }
): Promise<void> {
	await db.update(alerts).set(params).where(eq(alerts.id, id));
}

/** Resolve an open alert, saying why; false when it was no longer open. */
export async function resolveAlert(
	db: Db,
	id: string,
	params: { at: Date; reason: string }
): Promise<boolean> {
	const rows = await db
		.update(alerts)
		.set({ status: 'resolved', closedAt: params.at })
		.where(and(eq(alerts.id, id), inArray(alerts.status, ['open', 'acknowledged'])))
		.returning({ id: alerts.id });
	if (rows.length === 0) return false;
	await db
		.insert(alertEvents)
		.values({ alertId: id, at: params.at, kind: 'resolved', actor: 'system', text: params.reason });
	return true;
}
