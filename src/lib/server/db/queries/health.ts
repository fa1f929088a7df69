import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { HEALTH_INCIDENT, type IncidentSeverity } from '../../../shared/health';
import type { Db } from '../client';
import { resultRows } from '../client';
import { alerts, healthSamples5m, probeTargets, statusNotices, type ProbeMethod } from '../schema';

// ---- probe targets ----------------------------------------------------------------------

export type ProbeTargetRow = typeof probeTargets.$inferSelect;

export interface ProbeTargetInput {
	target: string;
	url: string;
	method: ProbeMethod;
	expectStatus: number;
	expectBody: string | null;
	timeoutMs: number;
	intervalSeconds: number;
	enabled: boolean;
}

export async function listProbeTargets(db: Db): Promise<ProbeTargetRow[]> {
	return db.select().from(probeTargets).orderBy(asc(probeTargets.target));
}

/** Add a probe (no id) or change one; null when the id is not held. */
export async function saveProbeTarget(
	db: Db,
	input: ProbeTargetInput & { id?: string },
	actor: string,
	now = new Date()
): Promise<ProbeTargetRow | null> {
	const values = {
		target: input.target,
		url: input.url,
		method: input.method,
		expectStatus: input.expectStatus,
		expectBody: input.expectBody,
		timeoutMs: input.timeoutMs,
		intervalSeconds: input.intervalSeconds,
		enabled: input.enabled,
		updatedAt: now,
		updatedBy: actor
	};
	if (!input.id) {
		const [row] = await db.insert(probeTargets).values(values).returning();
		return row;
	}
	const [row] = await db
		.update(probeTargets)
		.set(values)
		.where(eq(probeTargets.id, input.id))
		.returning();
	return row ?? null;
}

export async function deleteProbeTarget(db: Db, id: string): Promise<ProbeTargetRow | null> {
	const [row] = await db.delete(probeTargets).where(eq(probeTargets.id, id)).returning();
	return row ?? null;
}

/** Add probes that are not there yet (by target name); existing ones are left alone. */
export async function addProbeTargetsIfMissing(
	db: Db,
	rows: ProbeTargetInput[],
	actor: string
): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insert(probeTargets)
		.values(rows.map((r) => ({ ...r, updatedBy: actor })))
		.onConflictDoNothing({ target: probeTargets.target });
}

// ---- samples ------------------------------------------------------------------------------

export interface SampleRow {
	target: string;
	atMs: number;
	ok: boolean;
	latencyMs: number | null;
	detail: string | null;
}

type RawSample = {
	target: string;
	at_ms: number | string;
	ok: boolean;
	latency_ms: number | null;
	detail: string | null;
};

const toSample = (r: RawSample): SampleRow => ({
	target: r.target,
	atMs: Number(r.at_ms),
	ok: r.ok,
	latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
	detail: r.detail
});

/** Samples in [from, to), per target in time order. */
export async function healthSamplesBetween(
	db: Db,
	params: { from: Date; to: Date; targets?: string[] }
): Promise<SampleRow[]> {
	const targets = params.targets
		? sql`and target = any(${sql.param(params.targets)}::text[])`
		: sql``;
	const result = await db.execute(sql`
		select target, (extract(epoch from at) * 1000)::float8 as at_ms, ok, latency_ms, detail
		from health_samples
		where at >= ${params.from.toISOString()}::timestamptz and at < ${params.to.toISOString()}::timestamptz
		${targets}
		order by target, at`);
	return resultRows<RawSample>(result).map(toSample);
}

/** Each target's latest sample. */
export async function latestSampleByTarget(db: Db): Promise<SampleRow[]> {
	const result = await db.execute(sql`
		select distinct on (target)
			target, (extract(epoch from at) * 1000)::float8 as at_ms, ok, latency_ms, detail
		from health_samples order by target, at desc`);
	return resultRows<RawSample>(result).map(toSample);
}

/**
 * What the incident rule needs per target: the last `last` samples, and every sample after
 * `windowStart` (the error-rate window), looking no further back than `horizon`.
 */
export async function samplesForIncidentRule(
	db: Db,
	params: { horizon: Date; windowStart: Date; now: Date; last: number }
): Promise<SampleRow[]> {
	const result = await db.execute(sql`
		select target, (extract(epoch from at) * 1000)::float8 as at_ms, ok, latency_ms, detail
		from (
			select *, row_number() over (partition by target order by at desc) as rn
			from health_samples
			where at >= ${params.horizon.toISOString()}::timestamptz
				and at <= ${params.now.toISOString()}::timestamptz
		) s
		where rn <= ${params.last} or at > ${params.windowStart.toISOString()}::timestamptz
		order by target, at`);
	return resultRows<RawSample>(result).map(toSample);
}

// ---- incidents (alerts of kind health_incident) --------------------------------------------

export interface IncidentDetail {
	target: string;
	severity: IncidentSeverity;
	/** The first bad sample of the run that opened it. */
	since: string;
	reason: string;
	closedReason?: string;
}

export interface IncidentRow {
	id: string;
	status: 'open' | 'acknowledged' | 'resolved';
	openedAt: Date;
	closedAt: Date | null;
	summary: string;
	detail: IncidentDetail;
}

const incidentColumns = {
	id: alerts.id,
	status: alerts.status,
	openedAt: alerts.openedAt,
	closedAt: alerts.closedAt,
	summary: alerts.summary,
	detail: alerts.detail
};

/**
 * Serialise incident decisions across processes sharing one database (several nodes behind a
 * load balancer): held until the transaction ends. 0x6865616c = 'heal'.
 */
export async function lockHealthIncidents(tx: Db): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${0x6865616c}::bigint)`);
}

export async function openHealthIncidents(db: Db): Promise<IncidentRow[]> {
	const rows = await db
		.select(incidentColumns)
		.from(alerts)
		.where(and(eq(alerts.kind, HEALTH_INCIDENT), inArray(alerts.status, ['open', 'acknowledged'])));
	return rows as IncidentRow[];
}

export async function insertHealthIncident(
	db: Db,
	params: { openedAt: Date; summary: string; detail: IncidentDetail }
): Promise<IncidentRow> {
	const [row] = await db
		.insert(alerts)
		.values({
			kind: HEALTH_INCIDENT,
			status: 'open',
			openedAt: params.openedAt,
			summary: params.summary,
			detail: params.detail
		})
		.returning(incidentColumns);
	return row as IncidentRow;
}

/** A worse state: new words, and open again if it had been acknowledged. */
export async function escalateHealthIncident(
	db: Db,
	id: string,
	params: { summary: string; detail: IncidentDetail }
): Promise<IncidentRow | null> {
	const [row] = await db
		.update(alerts)
		.set({ summary: params.summary, detail: params.detail, status: 'open' })
		.where(eq(alerts.id, id))
		.returning(incidentColumns);
	return (row as IncidentRow | undefined) ?? null;
}

export async function resolveHealthIncident(
	db: Db,
	id: string,
	params: { closedAt: Date; detail: IncidentDetail }
): Promise<void> {
	await db
		.update(alerts)
		.set({ status: 'resolved', closedAt: params.closedAt, detail: params.detail })
		.where(eq(alerts.id, id));
}

/** Every alert that was open at some time in [from, to], oldest first. */
export async function alertsOverlapping(db: Db, params: { from: Date; to: Date; limit: number }) {
	const rows = await db
		.select({
			id: alerts.id,
			kind: alerts.kind,
			status: alerts.status,
			openedAt: alerts.openedAt,
			closedAt: alerts.closedAt,
			districtCode: alerts.districtCode,
			siteCode: alerts.siteCode,
			summary: alerts.summary,
			target: sql<string | null>`${alerts.detail}->>'target'`,
			severity: sql<string | null>`${alerts.detail}->>'severity'`
		})
		.from(alerts)
		.where(
			and(
				lte(alerts.openedAt, params.to),
				or(isNull(alerts.closedAt), gte(alerts.closedAt, params.from))
			)
		)
		.orderBy(asc(alerts.openedAt))
		.limit(params.limit);
	return rows;
}

// ---- retention ---------------------------------------------------------------------------

/**
 * Fold raw samples in [from, to) into 5-minute buckets (both ends on bucket boundaries, so
 * every bucket is whole). Running it again over the same range gives the same buckets.
 */
export async function downsampleHealthSamples(
	db: Db,
	params: { from: Date; to: Date }
): Promise<number> {
	const result = await db.execute(sql`
		with folded as (
			insert into health_samples_5m
				(target, bucket, samples, failures, latency_p50_ms, latency_p95_ms, latency_max_ms)
			select
				target,
				to_timestamp(floor(extract(epoch from at) / 300) * 300) as bucket,
				count(*)::int,
				(count(*) filter (where not ok))::int,
				round(percentile_cont(0.5) within group (order by latency_ms)
					filter (where ok and latency_ms is not null))::int,
				round(percentile_cont(0.95) within group (order by latency_ms)
					filter (where ok and latency_ms is not null))::int,
				(max(latency_ms) filter (where ok))::int
			from health_samples
			where at >= ${params.from.toISOString()}::timestamptz
				and at < ${params.to.toISOString()}::timestamptz
			group by 1, 2
			on conflict (target, bucket) do update set
				samples = excluded.samples,
				failures = excluded.failures,
				latency_p50_ms = excluded.latency_p50_ms,
				latency_p95_ms = excluded.latency_p95_ms,
				latency_max_ms = excluded.latency_max_ms
			returning 1
		)
		select count(*)::int as n from folded`);
	return Number(resultRows<{ n: number }>(result)[0]?.n ?? 0);
}

export async function deleteHealthSamplesBefore(db: Db, before: Date): Promise<number> {
	const result = await db.execute(sql`
		with gone as (
			delete from health_samples where at < ${before.toISOString()}::timestamptz returning 1
		)
		select count(*)::int as n from gone`);
	return Number(resultRows<{ n: number }>(result)[0]?.n ?? 0);
}

export async function deleteHealthAggregatesBefore(db: Db, before: Date): Promise<number> {
	const result = await db.execute(sql`
		with gone as (
			delete from health_samples_5m where bucket < ${before.toISOString()}::timestamptz returning 1
		)
		select count(*)::int as n from gone`);
	return Number(resultRows<{ n: number }>(result)[0]?.n ?? 0);
}

export async function healthAggregatesBetween(
	db: Db,
	params: { from: Date; to: Date; target?: string }
) {
	return db
		.select()
		.from(healthSamples5m)
		.where(
			and(
				gte(healthSamples5m.bucket, params.from),
				lte(healthSamples5m.bucket, params.to),
				params.target ? eq(healthSamples5m.target, params.target) : undefined
			)
		)
		.orderBy(asc(healthSamples5m.target), asc(healthSamples5m.bucket));
}

/** The oldest raw sample (at or after `from`), if any: where folding has work to do. */
export async function oldestHealthSampleAt(db: Db, from?: Date): Promise<Date | null> {
	const after = from ? sql`where at >= ${from.toISOString()}::timestamptz` : sql``;
	const result = await db.execute(
		sql`select (extract(epoch from min(at)) * 1000)::float8 as at_ms from health_samples ${after}`
	);
	const atMs = resultRows<{ at_ms: number | null }>(result)[0]?.at_ms;
	return atMs === null || atMs === undefined ? null : new Date(Number(atMs));
}

// ---- field status notices ----------------------------------------------------------------

export type StatusNoticeRow = typeof statusNotices.$inferSelect;

export async function listStatusNotices(db: Db): Promise<StatusNoticeRow[]> {
	return db
		.select()
		.from(statusNotices)
		.orderBy(asc(statusNotices.position), asc(statusNotices.component));
}

/** Add the components that are not there yet; what officers wrote is never overwritten. */
export async function seedStatusNotices(
	db: Db,
	rows: {
		component: string;
		label: string;
		targets: string[];
		instruction: string;
		position: number;
	}[]
): Promise<void> {
	if (rows.length === 0) return;
	await db.insert(statusNotices).values(rows).onConflictDoNothing();
}

export async function updateStatusNotice(
	db: Db,
	component: string,
	patch: {
		instruction: string;
		message: string | null;
		override: 'up' | 'degraded' | 'down' | null;
		targets?: string[];
	},
	actor: string,
	now = new Date()
): Promise<StatusNoticeRow | null> {
	const [row] = await db
		.update(statusNotices)
		.set({ ...patch, updatedAt: now, updatedBy: actor })
		.where(eq(statusNotices.component, component))
		.returning();
	return row ?? null;
}

// ---- the product's own health (GET /metrics) -----------------------------------------------

export async function countPendingQuarantine(db: Db): Promise<number> {
	const result = await db.execute(
		sql`select count(*)::int as n from quarantine where replayed_at is null`
	);
	return Number(resultRows<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Connections to this database by state, from pg_stat_activity (every client, every node;
 * states of other roles' sessions may read as null, counted as 'unknown'). PostgreSQL only.
 */
export async function databaseConnectionsByState(
	db: Db
): Promise<{ state: string; count: number }[]> {
	const result = await db.execute(sql`
		select coalesce(state, 'unknown') as state, count(*)::int as n
		from pg_stat_activity where datname = current_database() group by 1`);
	return resultRows<{ state: string; n: number }>(result).map((r) => ({
		state: r.state,
		count: Number(r.n)
	}));
}
