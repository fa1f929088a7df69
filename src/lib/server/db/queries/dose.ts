// postgres.js passes timestamptz[]/date[] parameters unserialised under Drizzle, so array
// parameters are sent as text[] and cast in SQL (see drizzle-orm/postgres-js/driver.js).
import { sql, type SQL } from 'drizzle-orm';
import type { DoseRecord } from '../../../shared/feeds';
import { resultRows, type Db } from '../client';

/**
 * The doses as a row set (one array parameter per column, unnested): a whole batch in one
 * statement, the measured fast path (see bench/ingest.ts).
 */
function doseRows(doses: DoseRecord[]) {
	const col = <T>(pick: (d: DoseRecord) => T) => sql.param(doses.map(pick));
	return sql`
		select * from unnest(
			${col((d) => d.id)}::text[],
			${col((d) => d.siteCode)}::text[],
			${col((d) => d.occurredAt.toISOString())}::text[]::timestamptz[],
			${col((d) => d.vaccine)}::text[],
			${col((d) => d.dose)}::smallint[],
			${col((d) => d.beneficiaryRef)}::text[],
			${col((d) => d.vaccinatorRef)}::text[],
			${col((d) => d.sessionId)}::text[],
			${col((d) => d.source)}::text[]
		) as t(id, site_code, occurred_at, vaccine, dose, beneficiary_ref, vaccinator_ref, session_id, source)`;
}

/**
 * The hot path. One multi-row statement inserts the raw rows (idempotent by id) and
 * adds them to the per-site-per-minute rollup; the bench showed the query builder
 * costs 4-5x more JavaScript time for the same batch. Returns the ids actually inserted.
 * The same statement adds them to the per-day rollup the review reads (days in
 * `timeZone`, APP_TIMEZONE), by vaccine and dose number.
 * Rows are taken in key order so that two batches written at once lock rollup rows in
 * the same order and cannot deadlock.
 */
export async function insertDoses(
	db: Db,
	doses: DoseRecord[],
	timeZone: string
): Promise<Set<string>> {
	if (doses.length === 0) return new Set();
	const result = await db.execute(sql`
		with input as (${doseRows(doses)}),
		inserted as (
			insert into dose_events
				(id, site_code, occurred_at, vaccine, dose, beneficiary_ref, vaccinator_ref, session_id, source)
			select id, site_code, occurred_at, vaccine, dose, beneficiary_ref, vaccinator_ref, session_id, source
			from input
			order by id
			on conflict (id) do nothing
			returning id, site_code, occurred_at, vaccine, dose
		),
		rolled as (
			insert into dose_rollups (site_code, minute, doses)
			select site_code, date_trunc('minute', occurred_at), count(*)::int from inserted
			group by 1, 2
			order by 1, 2
			on conflict (site_code, minute) do update set doses = dose_rollups.doses + excluded.doses
		),
		${addToDays(sql`inserted`, timeZone, 1)}
		select id from inserted`);
	return new Set(resultRows<{ id: string }>(result).map((r) => r.id));
}

/**
 * A CTE (named `days`) adding `sign` × the rows of `source` (site_code, occurred_at,
 * vaccine, dose) to dose_day_rollups, in key order like the minute rollup.
 */
function addToDays(source: SQL, timeZone: string, sign: 1 | -1): SQL {
	return sql`days as (
			insert into dose_day_rollups (date, site_code, vaccine, dose, doses)
			select (occurred_at at time zone ${timeZone})::date, site_code, vaccine, coalesce(dose, 0),
				${sql.raw(String(sign))} * count(*)::int
			from ${source}
			group by 1, 2, 3, 4
			order by 1, 2, 3, 4
			on conflict (date, site_code, vaccine, dose)
				do update set doses = dose_day_rollups.doses + excluded.doses
		)`;
}

export interface WithdrawnDose {
	id: string;
	siteCode: string;
	occurredAtMs: number;
}

/**
 * FHIR entered-in-error: a completed dose held under the same id stops counting (the
 * row is kept and marked). An id not held yet is recorded as withdrawn, so a late
 * "completed" for it stays out. Returns the doses that stopped counting.
 */
export async function withdrawDoses(
	db: Db,
	doses: DoseRecord[],
	timeZone: string
): Promise<WithdrawnDose[]> {
	if (doses.length === 0) return [];
	const result = await db.execute(sql`
		with input as (${doseRows(doses)}),
		withdrawn as (
			update dose_events d set status = 'entered_in_error'
			from input i
			where d.id = i.id and d.status = 'completed'
			returning d.id, d.site_code, d.occurred_at, d.vaccine, d.dose
		),
		recorded as (
			insert into dose_events
				(id, site_code, occurred_at, vaccine, dose, beneficiary_ref, vaccinator_ref, session_id, source, status)
			select id, site_code, occurred_at, vaccine, dose, beneficiary_ref, vaccinator_ref, session_id, source,
				'entered_in_error'
			from input
			on conflict (id) do nothing
		),
		rolled as (
			insert into dose_rollups (site_code, minute, doses)
			select site_code, date_trunc('minute', occurred_at), -count(*)::int from withdrawn
			group by 1, 2
			order by 1, 2
			on conflict (site_code, minute) do update set doses = dose_rollups.doses + excluded.doses
		),
		${addToDays(sql`withdrawn`, timeZone, -1)}
		select id, site_code, (extract(epoch from occurred_at) * 1000)::float8 as at_ms from withdrawn`);
	return resultRows<{ id: string; site_code: string; at_ms: number }>(result).map((r) => ({
		id: r.id,
		siteCode: r.site_code,
		occurredAtMs: Number(r.at_ms)
	}));
}

export interface SiteMinuteCount {
	siteCode: string;
	minuteMs: number;
	doses: number;
}

/** Rollup rows in [from, to): what the live state is rebuilt from. */
export async function doseRollupsBetween(db: Db, from: Date, to: Date): Promise<SiteMinuteCount[]> {
	const result = await db.execute(sql`
		select site_code, (extract(epoch from minute) * 1000)::float8 as minute_ms, doses
		from dose_rollups
		where minute >= ${from.toISOString()}::timestamptz and minute < ${to.toISOString()}::timestamptz
			and doses <> 0`);
	return resultRows<{ site_code: string; minute_ms: number; doses: number }>(result).map((r) => ({
		siteCode: r.site_code,
		minuteMs: Number(r.minute_ms),
		doses: Number(r.doses)
	}));
}

export interface DoseSums {
	sites: { siteCode: string; doses: number }[];
	districtMinutes: { districtCode: string; minuteMs: number; doses: number }[];
}

/**
 * What the live state is rebuilt from, summed by the database rather than sent as
 * millions of rollup rows: doses in [from, to) per site, and per district and minute from
 * `recentFrom` on (only "the last hour" needs minutes; older ones are never read again).
 */
export async function doseSumsBetween(
	db: Db,
	from: Date,
	to: Date,
	recentFrom: Date
): Promise<DoseSums> {
	const range = (start: Date) =>
		sql`minute >= ${start.toISOString()}::timestamptz and minute < ${to.toISOString()}::timestamptz`;
	const sites = resultRows<{ site_code: string; doses: number }>(
		await db.execute(sql`
			select site_code, sum(doses)::int as doses from dose_rollups
			where ${range(from)}
			group by site_code
			having sum(doses) <> 0`)
	);
	const minutes = resultRows<{ district_code: string; minute_ms: number; doses: number }>(
		await db.execute(sql`
			select s.district_code, (extract(epoch from r.minute) * 1000)::float8 as minute_ms,
				sum(r.doses)::int as doses
			from dose_rollups r join sites s on s.code = r.site_code
			where ${range(recentFrom > from ? recentFrom : from)}
			group by 1, 2
			having sum(r.doses) <> 0`)
	);
	return {
		sites: sites.map((r) => ({ siteCode: r.site_code, doses: Number(r.doses) })),
		districtMinutes: minutes.map((r) => ({
			districtCode: r.district_code,
			minuteMs: Number(r.minute_ms),
			doses: Number(r.doses)
		}))
	};
}

/** Each site's latest completed dose in [from, to), by an index walk per site. */
export async function lastDoseBySite(db: Db, from: Date, to: Date): Promise<Map<string, number>> {
	const result = await db.execute(sql`
		select s.code, (extract(epoch from last.at) * 1000)::float8 as at_ms
		from sites s
		cross join lateral (
			select max(d.occurred_at) as at from dose_events d
			where d.site_code = s.code and d.status = 'completed'
				and d.occurred_at >= ${from.toISOString()}::timestamptz
				and d.occurred_at < ${to.toISOString()}::timestamptz
		) last
		where last.at is not null`);
	return new Map(
		resultRows<{ code: string; at_ms: number }>(result).map((r) => [r.code, Number(r.at_ms)])
	);
}

/** Completed doses held in [from, to), counted over the raw rows (for checks and tests). */
export async function countDoses(db: Db, from?: Date, to?: Date): Promise<number> {
	const result = await db.execute(sql`
		select count(*)::int as n from dose_events
		where status = 'completed'
			${from ? sql`and occurred_at >= ${from.toISOString()}::timestamptz` : sql``}
			${to ? sql`and occurred_at < ${to.toISOString()}::timestamptz` : sql``}`);
	return Number(resultRows<{ n: number }>(result)[0]?.n ?? 0);
}
