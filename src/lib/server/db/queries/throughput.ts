// What the district and site drill-down panels read: doses per bucket from the rollups,
// the day's sessions, a site's doses, heartbeats and SMS outcomes, and the decision
// timeline (mode switches from the audit log, alerts and health incidents).
import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '../client';

/** Which sites a query covers: one district's, or one site. */
export type SiteFilter = { districtCode: string } | { siteCode: string };

const sitesOf = (filter: SiteFilter, column: ReturnType<typeof sql.raw>) =>
	'siteCode' in filter
		? sql`${column} = ${filter.siteCode}`
		: sql`${column} in (select code from sites where district_code = ${filter.districtCode})`;

/**
 * Completed doses per bucket of `bucketMs` from `from` (bucket 0) up to `to`, summed from
 * the per-minute rollups. Buckets are counted from `from`, so hours and quarter-hours are
 * the state's local ones when `from` is the start of its day.
 */
export async function dosesPerBucket(
	db: Db,
	params: SiteFilter & { from: Date; to: Date; bucketMs: number }
): Promise<Map<number, number>> {
	const result = await db.execute(sql`
		select floor(extract(epoch from (minute - ${params.from.toISOString()}::timestamptz)) * 1000
				/ ${params.bucketMs})::int as bucket,
			sum(doses)::int as doses
		from dose_rollups
		where ${sitesOf(params, sql.raw('site_code'))}
			and minute >= ${params.from.toISOString()}::timestamptz
			and minute < ${params.to.toISOString()}::timestamptz
		group by 1`);
	return new Map(
		resultRows<{ bucket: number; doses: number }>(result).map((r) => [
			Number(r.bucket),
			Number(r.doses)
		])
	);
}

export interface PlannedSession {
	siteCode: string;
	capacity: number;
	startsAt: Date | null;
	endsAt: Date | null;
}

/** Sessions planned on a local date for a district's sites or one site. */
export async function plannedSessions(
	db: Db,
	params: SiteFilter & { date: string }
): Promise<PlannedSession[]> {
	const result = await db.execute(sql`
		select site_code, capacity,
			(extract(epoch from starts_at) * 1000)::float8 as starts_ms,
			(extract(epoch from ends_at) * 1000)::float8 as ends_ms
		from sessions
		where date = ${params.date}::date and ${sitesOf(params, sql.raw('site_code'))}`);
	return resultRows<{
		site_code: string;
		capacity: number;
		starts_ms: number | null;
		ends_ms: number | null;
	}>(result).map((r) => ({
		siteCode: r.site_code,
		capacity: Number(r.capacity),
		startsAt: r.starts_ms === null ? null : new Date(Number(r.starts_ms)),
		endsAt: r.ends_ms === null ? null : new Date(Number(r.ends_ms))
	}));
}

export interface SiteDetailRow {
	code: string;
	name: string;
	districtCode: string;
	districtName: string;
	mode: 'online' | 'manual';
	modeChangedAt: Date | null;
	lastHeartbeatAt: Date | null;
	lat: number | null;
	lon: number | null;
}

export async function siteDetail(db: Db, code: string): Promise<SiteDetailRow | null> {
	const result = await db.execute(sql`
		select s.code, s.name, s.district_code, d.name as district_name, s.mode, s.lat, s.lon,
			(extract(epoch from s.mode_changed_at) * 1000)::float8 as mode_changed_ms,
			(extract(epoch from s.last_heartbeat_at) * 1000)::float8 as heartbeat_ms
		from sites s join districts d on d.code = s.district_code
		where s.code = ${code}`);
	const r = resultRows<{
		code: string;
		name: string;
		district_code: string;
		district_name: string;
		mode: 'online' | 'manual';
		lat: number | null;
		lon: number | null;
		mode_changed_ms: number | null;
		heartbeat_ms: number | null;
	}>(result)[0];
	if (!r) return null;
	const at = (ms: number | null) => (ms === null ? null : new Date(Number(ms)));
	return {
		code: r.code,
		name: r.name,
		districtCode: r.district_code,
		districtName: r.district_name,
		mode: r.mode,
		modeChangedAt: at(r.mode_changed_ms),
		lastHeartbeatAt: at(r.heartbeat_ms),
		lat: r.lat === null ? null : Number(r.lat),
		lon: r.lon === null ? null : Number(r.lon)
	};
}

export async function districtName(
	db: Db,
	code: string
): Promise<{ name: string; approximate: boolean } | null> {
	const result = await db.execute(
		sql`select name, approximate from districts where code = ${code}`
	);
	return resultRows<{ name: string; approximate: boolean }>(result)[0] ?? null;
}

/** When a site's completed doses in [from, to) happened (epoch ms, ascending). */
export async function siteDoseTimes(
	db: Db,
	params: { siteCode: string; from: Date; to: Date }
): Promise<number[]> {
	const result = await db.execute(sql`
		select (extract(epoch from occurred_at) * 1000)::float8 as at_ms
		from dose_events
		where site_code = ${params.siteCode} and status = 'completed'
			and occurred_at >= ${params.from.toISOString()}::timestamptz
			and occurred_at < ${params.to.toISOString()}::timestamptz
		order by occurred_at`);
	return resultRows<{ at_ms: number }>(result).map((r) => Number(r.at_ms));
}

/** A site's heartbeats in [from, to), and the last one before `from` (epoch ms). */
export async function siteHeartbeatTimes(
	db: Db,
	params: { siteCode: string; from: Date; to: Date }
): Promise<{ before: number | null; times: number[] }> {
	const [before, within] = await Promise.all([
		db.execute(sql`
			select (extract(epoch from max(at)) * 1000)::float8 as at_ms from heartbeats
			where site_code = ${params.siteCode} and at < ${params.from.toISOString()}::timestamptz`),
		db.execute(sql`
			select distinct (extract(epoch from at) * 1000)::float8 as at_ms from heartbeats
			where site_code = ${params.siteCode}
				and at >= ${params.from.toISOString()}::timestamptz
				and at < ${params.to.toISOString()}::timestamptz
			order by 1`)
	]);
	const last = resultRows<{ at_ms: number | null }>(before)[0]?.at_ms;
	return {
		before: last === null || last === undefined ? null : Number(last),
		times: resultRows<{ at_ms: number }>(within).map((r) => Number(r.at_ms))
	};
}

export interface SmsOutcomeRow {
	status: string;
	reasonGroup: string | null;
	messages: number;
}

/** A site's messages sent in [from, to), by latest status and failure reason group. */
export async function siteSmsOutcomes(
	db: Db,
	params: { siteCode: string; from: Date; to: Date }
): Promise<SmsOutcomeRow[]> {
	const result = await db.execute(sql`
		select status, reason_group, count(*)::int as messages
		from sms_messages
		where site_code = ${params.siteCode}
			and sent_at >= ${params.from.toISOString()}::timestamptz
			and sent_at < ${params.to.toISOString()}::timestamptz
		group by 1, 2`);
	return resultRows<{ status: string; reason_group: string | null; messages: number }>(result).map(
		(r) => ({ status: r.status, reasonGroup: r.reason_group, messages: Number(r.messages) })
	);
}

export interface ModeSwitchRow {
	at: Date;
	actor: string;
	siteCode: string;
	siteName: string | null;
	to: 'online' | 'manual' | null;
	reason: string | null;
}

/** Mode switches recorded in the audit log in [from, to), oldest first. */
export async function modeSwitches(
	db: Db,
	params: SiteFilter & { from: Date; to: Date; limit: number }
): Promise<ModeSwitchRow[]> {
	const result = await db.execute(sql`
		select (extract(epoch from a.at) * 1000)::float8 as at_ms, a.actor, a.target, s.name,
			coalesce(a.detail->>'to', a.detail->>'mode') as to_mode,
			coalesce(nullif(a.detail->>'reason', ''), a.detail->>'reasonCode') as reason
		from audit_log a left join sites s on s.code = a.target
		where a.action = 'site.mode'
			and a.at >= ${params.from.toISOString()}::timestamptz
			and a.at < ${params.to.toISOString()}::timestamptz
			and ${sitesOf(params, sql.raw('a.target'))}
		order by a.at, a.id
		limit ${params.limit}`);
	return resultRows<{
		at_ms: number;
		actor: string;
		target: string;
		name: string | null;
		to_mode: string | null;
		reason: string | null;
	}>(result).map((r) => ({
		at: new Date(Number(r.at_ms)),
		actor: r.actor,
		siteCode: r.target,
		siteName: r.name,
		to: r.to_mode === 'manual' || r.to_mode === 'online' ? r.to_mode : null,
		reason: r.reason
	}));
}

export interface TimelineAlertRow {
	id: string;
	kind: string;
	openedAt: Date;
	closedAt: Date | null;
	siteCode: string | null;
	siteName: string | null;
	summary: string;
	/** detail.target of a health incident (the probe target); null otherwise. */
	target: string | null;
}

/**
 * Alerts opened in [from, to) about a district's sites (or one site) or the district
 * itself, and the health incidents of the same window, which touch every district.
 * Child alerts are left out: their parent says it once.
 */
export async function timelineAlerts(
	db: Db,
	params: SiteFilter & { from: Date; to: Date; limit: number }
): Promise<TimelineAlertRow[]> {
	const about =
		'siteCode' in params
			? sql`a.site_code = ${params.siteCode}`
			: sql`(a.district_code = ${params.districtCode} or ${sitesOf(params, sql.raw('a.site_code'))})`;
	const result = await db.execute(sql`
		select a.id::text as id, a.kind, a.summary, a.site_code, s.name as site_name,
			a.detail->>'target' as target,
			(extract(epoch from a.opened_at) * 1000)::float8 as opened_ms,
			(extract(epoch from a.closed_at) * 1000)::float8 as closed_ms
		from alerts a left join sites s on s.code = a.site_code
		where a.opened_at >= ${params.from.toISOString()}::timestamptz
			and a.opened_at < ${params.to.toISOString()}::timestamptz
			and a.parent_id is null
			and (${about} or a.kind = 'health_incident')
		order by a.opened_at
		limit ${params.limit}`);
	return resultRows<{
		id: string;
		kind: string;
		summary: string;
		site_code: string | null;
		site_name: string | null;
		target: string | null;
		opened_ms: number;
		closed_ms: number | null;
	}>(result).map((r) => ({
		id: r.id,
		kind: r.kind,
		openedAt: new Date(Number(r.opened_ms)),
		closedAt: r.closed_ms === null ? null : new Date(Number(r.closed_ms)),
		siteCode: r.site_code,
		siteName: r.site_name,
		summary: r.summary,
		target: r.target
	}));
}
