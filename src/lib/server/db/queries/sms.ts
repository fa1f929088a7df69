import { sql } from 'drizzle-orm';
import type { SmsMessageRecord, SmsReportRecord, SmsStatus } from '../../../shared/feeds';
import { resultRows, type Db } from '../client';

/** How far along a message is; a report never moves a message to a lower rank. */
export const smsStatusRank: Record<SmsStatus, number> = {
	queued: 0,
	sent: 1,
	delivered: 2,
	failed: 2,
	undelivered: 2,
	expired: 2,
	rejected: 2
};

export const smsFailureStatuses: SmsStatus[] = ['failed', 'undelivered', 'expired', 'rejected'];

const rankSql = (col: ReturnType<typeof sql.raw>) => sql`(case ${col}
	when 'queued' then 0 when 'sent' then 1 else 2 end)`;

/**
 * Insert messages (idempotent by messageId) and count them in the per-day rollup the review
 * reads (days in `timeZone`, APP_TIMEZONE); returns the ids actually inserted.
 */
export async function insertSmsMessages(
	db: Db,
	rows: SmsMessageRecord[],
	timeZone: string
): Promise<Set<string>> {
	if (rows.length === 0) return new Set();
	const col = <T>(pick: (m: SmsMessageRecord) => T) => sql.param(rows.map(pick));
	const result = await db.execute(sql`
		with inserted as (
			insert into sms_messages (message_id, beneficiary_ref, site_code, kind, sent_at, phone, session_date, provider, resend_of)
			select * from unnest(
				${col((m) => m.messageId)}::text[],
				${col((m) => m.beneficiaryRef)}::text[],
				${col((m) => m.siteCode)}::text[],
				${col((m) => m.kind)}::text[],
				${col((m) => m.sentAt.toISOString())}::text[]::timestamptz[],
				${col((m) => m.phone)}::text[],
				${col((m) => m.sessionDate)}::text[]::date[],
				${col((m) => m.provider)}::text[],
				${col((m) => m.resendOf ?? null)}::text[]
			)
			on conflict (message_id) do nothing
			returning message_id, site_code, sent_at, status
		),
		days as (
			insert into sms_day_rollups (date, site_code, sent, delivered)
			select (sent_at at time zone ${timeZone})::date, site_code, count(*)::int,
				count(*) filter (where status = 'delivered')::int
			from inserted
			group by 1, 2
			order by 1, 2
			on conflict (date, site_code) do update set
				sent = sms_day_rollups.sent + excluded.sent,
				delivered = sms_day_rollups.delivered + excluded.delivered
		)
		select message_id from inserted`);
	return new Set(resultRows<{ message_id: string }>(result).map((r) => r.message_id));
}

/** Keep every report raw; returns the keys (id|status|epoch ms) of those that were new. */
export async function insertSmsReports(db: Db, rows: SmsReportRecord[]): Promise<Set<string>> {
	if (rows.length === 0) return new Set();
	const col = <T>(pick: (r: SmsReportRecord) => T) => sql.param(rows.map(pick));
	const result = await db.execute(sql`
		insert into sms_reports (message_id, status, at, error_code, reason, provider, reason_group)
		select * from unnest(
			${col((r) => r.messageId)}::text[],
			${col((r) => r.status)}::text[],
			${col((r) => r.at.toISOString())}::text[]::timestamptz[],
			${col((r) => r.errorCode)}::text[],
			${col((r) => r.reason)}::text[],
			${col((r) => r.provider)}::text[],
			${col((r) => r.reasonGroup ?? null)}::text[]
		)
		on conflict (message_id, status, at) do nothing
				returning message_id || '|' || status || '|' || (extract(epoch from at) * 1000)::bigint::text as key`);
	return new Set(resultRows<{ key: string }>(result).map((r) => r.key));
}

export interface SmsTransition {
	messageId: string;
	siteCode: string;
	sentAtMs: number;
	from: SmsStatus;
	to: SmsStatus;
	/** Failure reason groups before and after (null when not a failure). */
	fromGroup: string | null;
	toGroup: string | null;
	/** When the message reached its old status (null: none yet) and its new one, epoch ms. */
	fromAtMs: number | null;
	toAtMs: number;
}

/**
 * Move messages forward to the furthest status their held reports show (reports that
 * came before their message included). Same rank: the later report wins. Returns the
 * status changes so live counters can follow them.
 */
export async function applyHeldReports(
	db: Db,
	messageIds: string[],
	timeZone: string
): Promise<SmsTransition[]> {
	if (messageIds.length === 0) return [];
	// Every lookup goes through a primary key, one id at a time (a lateral subquery with a
	// limit, which the planner cannot turn into a join): with `= any(ids)` or a plain join it
	// judged a scan of every report or message held cheaper than thousands of index probes.
	const ids = sql.param([...new Set(messageIds)]);
	const result = await db.execute(sql`
		with best as materialized (
			select b.* from unnest(${ids}::text[]) as i(id)
			cross join lateral (
				select r.message_id, r.status, r.at, r.error_code, r.reason, r.reason_group
				from sms_reports r
				where r.message_id = i.id
				order by ${rankSql(sql.raw('r.status'))} desc, r.at desc
				limit 1
			) b
		),
		old as (
			-- The values before the update below, in the statement's snapshot. No row locks
			-- here: SMS writers are serialised (lockSmsWrites) and the update locks its rows.
			select m.* from unnest(${ids}::text[]) as i(id)
			cross join lateral (
				select m.ctid as row_id, m.message_id, m.status, m.status_at, m.reason_group
				from sms_messages m where m.message_id = i.id limit 1
			) m
		),
		changes as materialized (
			-- Messages whose best report moves them forward, with their new values. Joined here
			-- (both sides materialised, so by hash), and updated below by row id alone: joined
			-- any other way, the planner looped over every pair of the batch (5,000 ids: 12
			-- million pairs, a second).
			select o.row_id, o.message_id, o.status as from_status, b.status, b.at, b.error_code,
				b.reason, b.reason_group
			from old o join best b on b.message_id = o.message_id
			where ${rankSql(sql.raw('b.status'))} > ${rankSql(sql.raw('o.status'))}
				or (${rankSql(sql.raw('b.status'))} = ${rankSql(sql.raw('o.status'))}
					and b.status <> o.status and b.at > coalesce(o.status_at, '-infinity'))
		),
		moved as (
			update sms_messages m
			set status = c.status, status_at = c.at, error_code = c.error_code, reason = c.reason,
				reason_group = c.reason_group
			from changes c
			-- The status read in "old" must still hold (it does: SMS writers are serialised).
			where m.ctid = c.row_id and m.status = c.from_status
			returning m.message_id, m.site_code, m.sent_at, c.status as to_status, c.at as to_at,
				c.reason_group as to_group
		),
		days as (
			insert into sms_day_rollups (date, site_code, sent, delivered)
			select (mv.sent_at at time zone ${timeZone})::date, mv.site_code, 0,
				sum((mv.to_status = 'delivered')::int - (o.status = 'delivered')::int)::int
			from moved mv join old o on o.message_id = mv.message_id
			group by 1, 2
			having sum((mv.to_status = 'delivered')::int - (o.status = 'delivered')::int) <> 0
			order by 1, 2
			on conflict (date, site_code) do update set
				delivered = sms_day_rollups.delivered + excluded.delivered
		)
		select mv.message_id, mv.site_code, (extract(epoch from mv.sent_at) * 1000)::float8 as sent_ms,
			o.status as from_status, mv.to_status, o.reason_group as from_group, mv.to_group,
			(extract(epoch from o.status_at) * 1000)::float8 as from_ms,
			(extract(epoch from mv.to_at) * 1000)::float8 as to_ms
		from moved mv join old o on o.message_id = mv.message_id`);
	return resultRows<{
		message_id: string;
		site_code: string;
		sent_ms: number;
		from_status: SmsStatus;
		to_status: SmsStatus;
		from_group: string | null;
		to_group: string | null;
		from_ms: number | null;
		to_ms: number;
	}>(result).map((r) => ({
		messageId: r.message_id,
		siteCode: r.site_code,
		sentAtMs: Number(r.sent_ms),
		from: r.from_status,
		to: r.to_status,
		fromGroup: r.from_group,
		toGroup: r.to_group,
		fromAtMs: r.from_ms === null ? null : Number(r.from_ms),
		toAtMs: Number(r.to_ms)
	}));
}

export interface SiteSmsCount {
	siteCode: string;
	sent: number;
	failed: number;
}

/** Messages sent in [from, to) per site, and how many of them failed. */
export async function smsCountsBySite(db: Db, from: Date, to: Date): Promise<SiteSmsCount[]> {
	const result = await db.execute(sql`
		select site_code, count(*)::int as sent,
			count(*) filter (where status in ('failed', 'undelivered', 'expired', 'rejected'))::int as failed
		from sms_messages
		where sent_at >= ${from.toISOString()}::timestamptz and sent_at < ${to.toISOString()}::timestamptz
		group by site_code`);
	return resultRows<{ site_code: string; sent: number; failed: number }>(result).map((r) => ({
		siteCode: r.site_code,
		sent: Number(r.sent),
		failed: Number(r.failed)
	}));
}
