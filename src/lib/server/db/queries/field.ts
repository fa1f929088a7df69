import { eq, sql } from 'drizzle-orm';
import type { AppointmentRecord, HealthSampleRecord, HeartbeatRecord } from '../../../shared/feeds';
import { resultRows, type Db } from '../client';
import { appointments } from '../schema';

/** Appointments are plans: the latest one for a person, site and date wins. */
export async function upsertAppointments(db: Db, rows: AppointmentRecord[]): Promise<number> {
	if (rows.length === 0) return 0;
	const col = <T>(pick: (a: AppointmentRecord) => T) => sql.param(rows.map(pick));
	const result = await db.execute(sql`
		insert into appointments (beneficiary_ref, site_code, date, slot, name, phone)
		select distinct on (beneficiary_ref, site_code, date) * from unnest(
			${col((a) => a.beneficiaryRef)}::text[],
			${col((a) => a.siteCode)}::text[],
			${col((a) => a.date)}::text[]::date[],
			${col((a) => a.slot)}::text[],
			${col((a) => a.name)}::text[],
			${col((a) => a.phone)}::text[]
		) as t(beneficiary_ref, site_code, date, slot, name, phone)
		on conflict (beneficiary_ref, site_code, date) do update
			set slot = excluded.slot, name = excluded.name, phone = excluded.phone
			where (appointments.slot, appointments.name, appointments.phone)
				is distinct from (excluded.slot, excluded.name, excluded.phone)
		returning 1`);
	return resultRows(result).length;
}

/** Returns how many heartbeats were new. */
export async function insertHeartbeats(db: Db, rows: HeartbeatRecord[]): Promise<number> {
	if (rows.length === 0) return 0;
	const col = <T>(pick: (h: HeartbeatRecord) => T) => sql.param(rows.map(pick));
	const result = await db.execute(sql`
		insert into heartbeats (site_code, at, device, pending_uploads)
		select * from unnest(
			${col((h) => h.siteCode)}::text[],
			${col((h) => h.at.toISOString())}::text[]::timestamptz[],
			${col((h) => h.device)}::text[],
			${col((h) => h.pendingUploads)}::int[]
		)
		on conflict do nothing
		returning 1`);
	return resultRows(result).length;
}

/** Returns how many samples were new. */
export async function insertHealthSamples(db: Db, rows: HealthSampleRecord[]): Promise<number> {
	if (rows.length === 0) return 0;
	// Booleans travel as text: postgres.js sends a boolean array with the scalar bool type.
	const col = <T>(pick: (h: HealthSampleRecord) => T) => sql.param(rows.map(pick));
	const result = await db.execute(sql`
		insert into health_samples (target, at, ok, latency_ms, detail)
		select * from unnest(
			${col((h) => h.target)}::text[],
			${col((h) => h.at.toISOString())}::text[]::timestamptz[],
			${col((h) => String(h.ok))}::text[]::boolean[],
			${col((h) => h.latencyMs)}::int[],
			${col((h) => h.detail)}::text[]
		)
		on conflict do nothing
		returning 1`);
	return resultRows(result).length;
}

export interface LatestHealth {
	target: string;
	atMs: number;
	ok: boolean;
	latencyMs: number | null;
}

export async function latestHealthSamples(db: Db): Promise<LatestHealth[]> {
	const result = await db.execute(sql`
		select distinct on (target) target, (extract(epoch from at) * 1000)::float8 as at_ms, ok, latency_ms
		from health_samples order by target, at desc`);
	return resultRows<{ target: string; at_ms: number; ok: boolean; latency_ms: number | null }>(
		result
	).map((r) => ({
		target: r.target,
		atMs: Number(r.at_ms),
		ok: r.ok,
		latencyMs: r.latency_ms === null ? null : Number(r.latency_ms)
	}));
}

export async function appointmentsOn(db: Db, date: string) {
	return db
		.select({
			beneficiaryRef: appointments.beneficiaryRef,
			siteCode: appointments.siteCode,
			date: appointments.date,
			phone: appointments.phone
		})
		.from(appointments)
		.where(eq(appointments.date, date));
}
