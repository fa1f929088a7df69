// The progress review: figures per district and local day, read from the day rollups
// (dose_day_rollups, sms_day_rollups), never from scans of the raw rows, so that a month
// answers as fast as a day. Days are local calendar dates in APP_TIMEZONE.
import { sql, type SQL } from 'drizzle-orm';
import { resultRows, type Db } from '../client';
import {
	datesBetween,
	type ManualPeriodRow,
	type ReviewRow,
	type VaccineDoseCount
} from '../../../shared/review';
import { getMeta, setMeta } from './meta';

export interface ReviewQuery {
	/** First and last local date, inclusive (YYYY-MM-DD). */
	from: string;
	to: string;
	/** District codes; null: every district. */
	districts: string[] | null;
	timeZone: string;
	/** Where a manual period still open ends. */
	now: Date;
}

const textArray = (values: string[]) => sql`${sql.param(values)}::text[]`;

/** `and <column> = any(districts)` when the review is limited to some districts. */
function inDistricts(column: SQL, districts: string[] | null): SQL {
	return districts === null ? sql`` : sql`and ${column} = any(${textArray(districts)})`;
}

/** The instant a local date begins, as SQL. */
const dayStart = (date: SQL, timeZone: string) =>
	sql`((${date})::timestamp at time zone ${timeZone})`;

/**
 * Manual periods (fallback_episodes.periods) as rows: site, district, start, end (an open
 * period ends at `now`).
 */
function manualPeriods(q: ReviewQuery): SQL {
	return sql`
		select e.site_code, s.district_code, (p->>'from')::timestamptz as started,
			coalesce((p->>'to')::timestamptz, ${q.now.toISOString()}::timestamptz) as ended,
			(p->>'to') is null as open
		from fallback_episodes e
		join sites s on s.code = e.site_code
		cross join lateral jsonb_array_elements(e.periods) p
		where true ${inDistricts(sql`s.district_code`, q.districts)}`;
}

/**
 * Every district of the selection on every day of the range, with a row even where
 * nothing happened. Ordered by date, then district code.
 */
export async function reviewRows(db: Db, q: ReviewQuery): Promise<ReviewRow[]> {
	const from = sql`${q.from}::date`;
	const to = sql`${q.to}::date`;
	const rangeStart = dayStart(from, q.timeZone);
	const rangeEnd = dayStart(sql`${q.to}::date + 1`, q.timeZone);
	const result = await db.execute(sql`
		with days as (
			select d as date from unnest(${sql.param(datesBetween(q.from, q.to))}::text[]::date[]) d
		),
		grid as (
			select ds.code as district, days.date
			from districts ds cross join days
			where true ${inDistricts(sql`ds.code`, q.districts)}
		),
		doses as (
			select s.district_code as district, r.date, sum(r.doses)::int as doses
			from dose_day_rollups r join sites s on s.code = r.site_code
			where r.date between ${from} and ${to} ${inDistricts(sql`s.district_code`, q.districts)}
			group by 1, 2
		),
		planned as (
			select s.district_code as district, se.date, count(*)::int as planned
			from sessions se join sites s on s.code = se.site_code
			where se.date between ${from} and ${to} ${inDistricts(sql`s.district_code`, q.districts)}
			group by 1, 2
		),
		-- A rollup row never goes below zero (a withdrawal takes back a dose of the same
		-- vaccine and dose number), so one row above zero means the site gave a dose that day.
		held as (
			select s.district_code as district, se.date, count(*)::int as held
			from sessions se join sites s on s.code = se.site_code
			where se.date between ${from} and ${to} ${inDistricts(sql`s.district_code`, q.districts)}
				and exists (
					select 1 from dose_day_rollups r
					where r.date = se.date and r.site_code = se.site_code and r.doses > 0
				)
			group by 1, 2
		),
		sms as (
			select s.district_code as district, r.date, sum(r.sent)::int as sent,
				sum(r.delivered)::int as delivered
			from sms_day_rollups r join sites s on s.code = r.site_code
			where r.date between ${from} and ${to} ${inDistricts(sql`s.district_code`, q.districts)}
			group by 1, 2
		),
		manual as (
			select p.district_code as district, days.date, count(distinct p.site_code)::int as sites
			from (${manualPeriods(q)}) p
			join days on p.started < ${dayStart(sql`days.date + 1`, q.timeZone)}
				and p.ended > ${dayStart(sql`days.date`, q.timeZone)}
			group by 1, 2
		),
		opened as (
			select coalesce(c.district_code, s.district_code) as district,
				(c.opened_at at time zone ${q.timeZone})::date as date, count(*)::int as n
			from complaints c left join sites s on s.code = c.site_code
			where c.opened_at >= ${rangeStart} and c.opened_at < ${rangeEnd}
			group by 1, 2
		),
		resolved as (
			select coalesce(c.district_code, s.district_code) as district,
				(c.resolved_at at time zone ${q.timeZone})::date as date, count(*)::int as n
			from complaints c left join sites s on s.code = c.site_code
			where c.resolved_at >= ${rangeStart} and c.resolved_at < ${rangeEnd}
			group by 1, 2
		)
		select g.district, g.date::text as date,
			coalesce(d.doses, 0) as doses,
			t.target,
			coalesce(p.planned, 0) as sessions_planned,
			coalesce(h.held, 0) as sessions_held,
			coalesce(m.sent, 0) as sms_sent,
			coalesce(m.delivered, 0) as sms_delivered,
			coalesce(mn.sites, 0) as sites_went_manual,
			coalesce(co.n, 0) as complaints_opened,
			coalesce(cr.n, 0) as complaints_resolved
		from grid g
		left join doses d on d.district = g.district and d.date = g.date
		left join planned p on p.district = g.district and p.date = g.date
		left join held h on h.district = g.district and h.date = g.date
		left join sms m on m.district = g.district and m.date = g.date
		left join manual mn on mn.district = g.district and mn.date = g.date
		left join opened co on co.district = g.district and co.date = g.date
		left join resolved cr on cr.district = g.district and cr.date = g.date
		left join district_targets t on t.district_code = g.district and t.date = g.date
		order by g.date, g.district`);
	return resultRows<{
		district: string;
		date: string;
		doses: number;
		target: number | null;
		sessions_planned: number;
		sessions_held: number;
		sms_sent: number;
		sms_delivered: number;
		sites_went_manual: number;
		complaints_opened: number;
		complaints_resolved: number;
	}>(result).map((r) => ({
		district: r.district,
		date: r.date,
		doses: Number(r.doses),
		target: r.target === null ? null : Number(r.target),
		sessionsPlanned: Number(r.sessions_planned),
		sessionsHeld: Number(r.sessions_held),
		smsSent: Number(r.sms_sent),
		smsDelivered: Number(r.sms_delivered),
		sitesWentManual: Number(r.sites_went_manual),
		complaintsOpened: Number(r.complaints_opened),
		complaintsResolved: Number(r.complaints_resolved)
	}));
}

export interface DistrictVaccineDoses extends VaccineDoseCount {
	district: string;
}

/**
 * Completed doses in the range by district, vaccine and dose number: one pass over the day
 * rollups for the page's vaccine table and its first doses (coverage).
 */
export async function dosesByVaccine(db: Db, q: ReviewQuery): Promise<DistrictVaccineDoses[]> {
	const result = await db.execute(sql`
		select s.district_code as district, r.vaccine, r.dose, sum(r.doses)::int as doses
		from dose_day_rollups r join sites s on s.code = r.site_code
		where r.date between ${q.from}::date and ${q.to}::date
			${inDistricts(sql`s.district_code`, q.districts)}
		group by 1, 2, 3
		having sum(r.doses) <> 0
		order by 1, 2, 3`);
	return resultRows<{ district: string; vaccine: string; dose: number; doses: number }>(result).map(
		(r) => ({
			district: r.district,
			vaccine: r.vaccine,
			dose: Number(r.dose),
			doses: Number(r.doses)
		})
	);
}

export interface DistrictRegistered {
	district: string;
	registered: number;
	/** The day the count was given for. */
	date: string;
}

/** Each district's latest registered count given on or before the range's last day. */
export async function registeredAsOf(db: Db, q: ReviewQuery): Promise<DistrictRegistered[]> {
	const result = await db.execute(sql`
		select distinct on (t.district_code) t.district_code as district, t.registered,
			t.date::text as date
		from district_targets t
		where t.registered is not null and t.date <= ${q.to}::date
			${inDistricts(sql`t.district_code`, q.districts)}
		order by t.district_code, t.date desc`);
	return resultRows<{ district: string; registered: number; date: string }>(result).map((r) => ({
		district: r.district,
		registered: Number(r.registered),
		date: r.date
	}));
}

/** Manual periods that overlap the range, earliest first. */
export async function manualPeriodsInRange(db: Db, q: ReviewQuery): Promise<ManualPeriodRow[]> {
	const start = dayStart(sql`${q.from}::date`, q.timeZone);
	const end = dayStart(sql`${q.to}::date + 1`, q.timeZone);
	const result = await db.execute(sql`
		select p.site_code, s.name as site_name, p.district_code,
			(extract(epoch from p.started) * 1000)::float8 as from_ms,
			case when p.open then null else (extract(epoch from p.ended) * 1000)::float8 end as to_ms,
			(extract(epoch from least(p.ended, ${end}) - greatest(p.started, ${start})) / 60)::float8
				as minutes
		from (${manualPeriods(q)}) p
		join sites s on s.code = p.site_code
		where p.started < ${end} and p.ended > ${start}
		order by p.started, p.site_code`);
	return resultRows<{
		site_code: string;
		site_name: string;
		district_code: string;
		from_ms: number;
		to_ms: number | null;
		minutes: number;
	}>(result).map((r) => ({
		siteCode: r.site_code,
		siteName: r.site_name,
		district: r.district_code,
		from: new Date(Number(r.from_ms)).toISOString(),
		to: r.to_ms === null ? null : new Date(Number(r.to_ms)).toISOString(),
		minutesInRange: Math.round(Number(r.minutes))
	}));
}

export interface HourCount {
	/** Epoch ms of the start of the local hour. */
	hourMs: number;
	doses: number;
}

/** Completed doses per local hour of one day, from the per-minute rollups. */
export async function dosesByHour(
	db: Db,
	params: { date: string; districts: string[] | null; timeZone: string }
): Promise<HourCount[]> {
	const tz = params.timeZone;
	const start = dayStart(sql`${params.date}::date`, tz);
	const end = dayStart(sql`${params.date}::date + 1`, tz);
	const result = await db.execute(sql`
		select (extract(epoch from (date_trunc('hour', r.minute at time zone ${tz}) at time zone ${tz}))
				* 1000)::float8 as hour_ms,
			sum(r.doses)::int as doses
		from dose_rollups r join sites s on s.code = r.site_code
		where r.minute >= ${start} and r.minute < ${end}
			${inDistricts(sql`s.district_code`, params.districts)}
		group by 1
		order by 1`);
	return resultRows<{ hour_ms: number; doses: number }>(result).map((r) => ({
		hourMs: Number(r.hour_ms),
		doses: Number(r.doses)
	}));
}

export interface PlannedSession {
	siteCode: string;
	district: string;
	capacity: number;
	startsAt: Date | null;
	endsAt: Date | null;
}

/** The sessions planned on one day in the districts (for the hourly plan). */
export async function plannedSessions(
	db: Db,
	params: { date: string; districts: string[] | null }
): Promise<PlannedSession[]> {
	const result = await db.execute(sql`
		select se.site_code, s.district_code, se.capacity,
			(extract(epoch from se.starts_at) * 1000)::float8 as starts_ms,
			(extract(epoch from se.ends_at) * 1000)::float8 as ends_ms
		from sessions se join sites s on s.code = se.site_code
		where se.date = ${params.date}::date
			${inDistricts(sql`s.district_code`, params.districts)}`);
	return resultRows<{
		site_code: string;
		district_code: string;
		capacity: number;
		starts_ms: number | null;
		ends_ms: number | null;
	}>(result).map((r) => ({
		siteCode: r.site_code,
		district: r.district_code,
		capacity: Number(r.capacity),
		startsAt: r.starts_ms === null ? null : new Date(Number(r.starts_ms)),
		endsAt: r.ends_ms === null ? null : new Date(Number(r.ends_ms))
	}));
}

export interface DistrictInfo {
	code: string;
	name: string;
	/** GeoJSON Polygon or MultiPolygon (WGS84), or null. */
	geometry: unknown;
	approximate: boolean;
}

/** The districts of the selection (every district when null), by name. */
export async function reviewDistricts(
	db: Db,
	districts: string[] | null,
	opts: { geometry?: boolean } = {}
): Promise<DistrictInfo[]> {
	const result = await db.execute(sql`
		select code, name, ${opts.geometry ? sql`geometry` : sql`null::jsonb as geometry`}, approximate
		from districts ds
		where true ${inDistricts(sql`ds.code`, districts)}
		order by name`);
	return resultRows<DistrictInfo>(result).map((r) => ({
		code: r.code,
		name: r.name,
		geometry: typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry,
		approximate: r.approximate
	}));
}

// ——— Targets ———

export interface TargetInput {
	districtCode: string;
	date: string;
	/** undefined: keep what is held; null: clear it. */
	target?: number | null;
	registered?: number | null;
}

export interface TargetRow {
	districtCode: string;
	date: string;
	target: number | null;
	registered: number | null;
	updatedAt: string;
	updatedBy: string | null;
}

/**
 * Set targets and registered counts (one statement). A field left undefined keeps the value
 * held; null clears it. The same district and day twice: the last one wins. Returns how
 * many district-days were written.
 */
export async function upsertTargets(db: Db, input: TargetInput[], actor: string): Promise<number> {
	const rows = [...new Map(input.map((r) => [`${r.districtCode}|${r.date}`, r])).values()];
	if (rows.length === 0) return 0;
	const col = <T>(pick: (r: TargetInput) => T) => sql.param(rows.map(pick));
	const result = await db.execute(sql`
		insert into district_targets (district_code, date, target, registered, updated_at, updated_by)
		select t.district_code, t.date,
			case when t.set_target then t.target else held.target end,
			case when t.set_registered then t.registered else held.registered end,
			now(), ${actor}
		from unnest(
			${col((r) => r.districtCode)}::text[],
			${col((r) => r.date)}::text[]::date[],
			${col((r) => (r.target === undefined || r.target === null ? null : String(r.target)))}::text[]::int[],
			${col((r) => String(r.target !== undefined))}::text[]::boolean[],
			${col((r) => (r.registered === undefined || r.registered === null ? null : String(r.registered)))}::text[]::int[],
			${col((r) => String(r.registered !== undefined))}::text[]::boolean[]
		) as t(district_code, date, target, set_target, registered, set_registered)
		left join district_targets held on held.district_code = t.district_code and held.date = t.date
		on conflict (district_code, date) do update set
			target = excluded.target,
			registered = excluded.registered,
			updated_at = excluded.updated_at,
			updated_by = excluded.updated_by
		returning district_code`);
	return resultRows(result).length;
}

/** Targets held for one day in the districts (every district when null). */
export async function targetsOn(
	db: Db,
	params: { date: string; districts: string[] | null }
): Promise<TargetRow[]> {
	const result = await db.execute(sql`
		select t.district_code, t.date::text as date, t.target, t.registered,
			(extract(epoch from t.updated_at) * 1000)::float8 as updated_ms, t.updated_by
		from district_targets t
		where t.date = ${params.date}::date
			${inDistricts(sql`t.district_code`, params.districts)}
		order by t.district_code`);
	return resultRows<{
		district_code: string;
		date: string;
		target: number | null;
		registered: number | null;
		updated_ms: number;
		updated_by: string | null;
	}>(result).map((r) => ({
		districtCode: r.district_code,
		date: r.date,
		target: r.target === null ? null : Number(r.target),
		registered: r.registered === null ? null : Number(r.registered),
		updatedAt: new Date(Number(r.updated_ms)).toISOString(),
		updatedBy: r.updated_by
	}));
}

// ——— Day rollups: built for one time zone ———

/** app_meta key: the time zone (and layout version) the day rollups were built for. */
const ROLLUP_META_KEY = 'review.day_rollups';
const rollupStamp = (timeZone: string) => `v1 ${timeZone}`;

/** Handles whose day rollups are known to be built for the time zone (checked once). */
const checked = new WeakMap<Db, string>();

/**
 * Make sure the day rollups are built for `timeZone`: after the migration that created
 * them (days before it were never rolled up) or after APP_TIMEZONE changed, rebuild them
 * from the raw rows. Cheap once checked: one look-up per process and handle.
 */
export async function ensureReviewRollups(db: Db, timeZone: string): Promise<boolean> {
	if (checked.get(db) === timeZone) return false;
	let rebuilt = false;
	if ((await getMeta(db, ROLLUP_META_KEY)) !== rollupStamp(timeZone)) {
		rebuilt = await rebuildReviewRollups(db, timeZone, { onlyIfStale: true });
	}
	checked.set(db, timeZone);
	return rebuilt;
}

/**
 * Rebuild the day rollups from the raw rows, in one transaction. The tables are locked
 * first, so a batch being written either commits before (and is in the rebuild) or waits
 * and adds itself after; none is counted twice or lost. Returns whether it rebuilt.
 */
export async function rebuildReviewRollups(
	db: Db,
	timeZone: string,
	opts: { onlyIfStale?: boolean } = {}
): Promise<boolean> {
	const stamp = rollupStamp(timeZone);
	return db.transaction(async (tx) => {
		await tx.execute(sql`lock table dose_day_rollups, sms_day_rollups in exclusive mode`);
		// Another node may have rebuilt while this one waited for the lock.
		if (opts.onlyIfStale && (await getMeta(tx, ROLLUP_META_KEY)) === stamp) return false;
		await tx.execute(sql`delete from dose_day_rollups`);
		await tx.execute(sql`delete from sms_day_rollups`);
		await tx.execute(sql`
			insert into dose_day_rollups (date, site_code, vaccine, dose, doses)
			select (occurred_at at time zone ${timeZone})::date, site_code, vaccine, coalesce(dose, 0),
				count(*)::int
			from dose_events
			where status = 'completed'
			group by 1, 2, 3, 4`);
		await tx.execute(sql`
			insert into sms_day_rollups (date, site_code, sent, delivered)
			select (sent_at at time zone ${timeZone})::date, site_code, count(*)::int,
				count(*) filter (where status = 'delivered')::int
			from sms_messages
			group by 1, 2`);
		await setMeta(tx, ROLLUP_META_KEY, stamp);
		return true;
	});
}
