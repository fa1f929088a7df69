// postgres.js passes timestamptz[]/date[] parameters unserialised under Drizzle, so array
// parameters are sent as text[] and cast in SQL (see drizzle-orm/postgres-js/driver.js).
import { and, desc, eq, gte, inArray, ne, or, sql } from 'drizzle-orm';
import { resultRows, type Db } from '../client';
import {
	backfillRows,
	backfillUploads,
	fallbackEpisodes,
	notifications,
	sessions,
	sites,
	type BackfillOutcome,
	type SiteMode
} from '../schema';

export type EpisodeRow = typeof fallbackEpisodes.$inferSelect;
export type NewEpisode = typeof fallbackEpisodes.$inferInsert;
export type BackfillUploadRow = typeof backfillUploads.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;

// ---- switching ---------------------------------------------------------------------------

export interface SwitchSiteRow {
	code: string;
	name: string;
	districtCode: string;
	mode: SiteMode;
}

/** The sites, locked until the transaction ends, so two switches of one site queue up. */
export async function lockSites(tx: Db, codes: string[]): Promise<SwitchSiteRow[]> {
	if (codes.length === 0) return [];
	return tx
		.select({
			code: sites.code,
			name: sites.name,
			districtCode: sites.districtCode,
			mode: sites.mode
		})
		.from(sites)
		.where(inArray(sites.code, codes))
		.orderBy(sites.code)
		.for('update');
}

export async function siteCodesOfDistrict(db: Db, districtCode: string): Promise<string[]> {
	const rows = await db
		.select({ code: sites.code })
		.from(sites)
		.where(eq(sites.districtCode, districtCode))
		.orderBy(sites.code);
	return rows.map((r) => r.code);
}

export async function setSiteModes(
	tx: Db,
	codes: string[],
	mode: SiteMode,
	at: Date
): Promise<void> {
	if (codes.length === 0) return;
	await tx.update(sites).set({ mode, modeChangedAt: at }).where(inArray(sites.code, codes));
}

// ---- fallback episodes -------------------------------------------------------------------

/** Fallbacks under way (manual or backfilling) of these sites. */
export async function openEpisodesOf(db: Db, siteCodes: string[]): Promise<EpisodeRow[]> {
	if (siteCodes.length === 0) return [];
	return db
		.select()
		.from(fallbackEpisodes)
		.where(
			and(inArray(fallbackEpisodes.siteCode, siteCodes), ne(fallbackEpisodes.stage, 'reconciled'))
		);
}

export async function insertEpisodes(tx: Db, rows: NewEpisode[]): Promise<void> {
	if (rows.length === 0) return;
	await tx.insert(fallbackEpisodes).values(rows);
}

export async function updateEpisode(
	tx: Db,
	id: string,
	patch: Partial<Omit<NewEpisode, 'id' | 'siteCode' | 'districtCode'>>
): Promise<EpisodeRow | null> {
	const [row] = await tx
		.update(fallbackEpisodes)
		.set(patch)
		.where(eq(fallbackEpisodes.id, id))
		.returning();
	return row ?? null;
}

/** Fallbacks under way, and those reconciled since `since`, newest first. */
export async function episodesForSummary(
	db: Db,
	params: { reconciledSince: Date; districts?: string[] }
): Promise<(EpisodeRow & { siteName: string })[]> {
	const rows = await db
		.select({ episode: fallbackEpisodes, siteName: sites.name })
		.from(fallbackEpisodes)
		.innerJoin(sites, eq(sites.code, fallbackEpisodes.siteCode))
		.where(
			and(
				or(
					ne(fallbackEpisodes.stage, 'reconciled'),
					gte(fallbackEpisodes.reconciledAt, params.reconciledSince)
				),
				params.districts ? inArray(fallbackEpisodes.districtCode, params.districts) : undefined
			)
		)
		.orderBy(desc(fallbackEpisodes.manualAt));
	return rows.map((r) => ({ ...r.episode, siteName: r.siteName }));
}

/** Each site's latest fallback stage, with the number of sites per district. */
export async function stagesByDistrict(
	db: Db
): Promise<{ districtCode: string; stage: string | null; sites: number }[]> {
	const result = await db.execute(sql`
		select s.district_code, latest.stage, count(*)::int as sites
		from sites s
		left join lateral (
			select e.stage from fallback_episodes e
			where e.site_code = s.code
			order by e.manual_at desc
			limit 1
		) latest on true
		group by 1, 2`);
	return resultRows<{ district_code: string; stage: string | null; sites: number }>(result).map(
		(r) => ({ districtCode: r.district_code, stage: r.stage, sites: Number(r.sites) })
	);
}

/**
 * Paper doses in the record per fallback: the distinct doses (beneficiary, dose, day) of its
 * uploads that were accepted or found already held.
 */
export async function accountedPaperDoses(
	db: Db,
	episodeIds: string[]
): Promise<Map<string, { accounted: number; uploads: number }>> {
	if (episodeIds.length === 0) return new Map();
	const result = await db.execute(sql`
		select u.episode_id,
			count(distinct r.dose_key) filter (where r.outcome in ('accepted', 'duplicate'))::int as accounted,
			count(distinct u.id)::int as uploads
		from backfill_uploads u
		left join backfill_rows r on r.upload_id = u.id
		where u.episode_id = any(${sql.param(episodeIds)}::text[]::uuid[])
		group by 1`);
	return new Map(
		resultRows<{ episode_id: string; accounted: number; uploads: number }>(result).map((r) => [
			r.episode_id,
			{ accounted: Number(r.accounted), uploads: Number(r.uploads) }
		])
	);
}

export interface PlannedSessionRow {
	siteCode: string;
	date: string;
	capacity: number;
	startsAt: Date | null;
	endsAt: Date | null;
}

/** Sessions of these sites on dates in [from, to] (local calendar dates). */
export async function sessionsOfSites(
	db: Db,
	params: { siteCodes: string[]; from: string; to: string }
): Promise<PlannedSessionRow[]> {
	if (params.siteCodes.length === 0) return [];
	return db
		.select({
			siteCode: sessions.siteCode,
			date: sessions.date,
			capacity: sessions.capacity,
			startsAt: sessions.startsAt,
			endsAt: sessions.endsAt
		})
		.from(sessions)
		.where(
			and(
				inArray(sessions.siteCode, params.siteCodes),
				gte(sessions.date, params.from),
				sql`${sessions.date} <= ${params.to}`
			)
		);
}

// ---- backfill ------------------------------------------------------------------------------

/**
 * Serialise backfills across processes, so two uploads of one register cannot both add a
 * dose. Held until the transaction ends. 0x70617072 = 'papr'.
 */
export async function lockBackfill(tx: Db): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${0x70617072}::bigint)`);
}

export interface HeldDose {
	id: string;
	beneficiaryRef: string;
	dose: number | null;
	/** The local day (in `timeZone`) of occurred_at. */
	day: string;
}

/** Completed doses held for these beneficiaries, with their local day. */
export async function heldDosesOf(
	db: Db,
	params: { beneficiaryRefs: string[]; timeZone: string }
): Promise<HeldDose[]> {
	if (params.beneficiaryRefs.length === 0) return [];
	const result = await db.execute(sql`
		select id, beneficiary_ref, dose,
			to_char(occurred_at at time zone ${params.timeZone}, 'YYYY-MM-DD') as day
		from dose_events
		where status = 'completed'
			and beneficiary_ref = any(${sql.param([...new Set(params.beneficiaryRefs)])}::text[])`);
	return resultRows<{ id: string; beneficiary_ref: string; dose: number | null; day: string }>(
		result
	).map((r) => ({
		id: r.id,
		beneficiaryRef: r.beneficiary_ref,
		dose: r.dose === null ? null : Number(r.dose),
		day: r.day
	}));
}

export async function insertBackfillUpload(
	tx: Db,
	row: typeof backfillUploads.$inferInsert
): Promise<BackfillUploadRow> {
	const [inserted] = await tx.insert(backfillUploads).values(row).returning();
	return inserted;
}

export async function insertBackfillRows(
	tx: Db,
	rows: (typeof backfillRows.$inferInsert)[]
): Promise<void> {
	// Several statements for a big register: PostgreSQL takes at most 65,535 parameters.
	for (let i = 0; i < rows.length; i += 5000) {
		await tx.insert(backfillRows).values(rows.slice(i, i + 5000));
	}
}

export async function listBackfillUploads(
	db: Db,
	params: { siteCode: string; limit: number }
): Promise<BackfillUploadRow[]> {
	return db
		.select()
		.from(backfillUploads)
		.where(eq(backfillUploads.siteCode, params.siteCode))
		.orderBy(desc(backfillUploads.at))
		.limit(params.limit);
}

export async function getBackfillUpload(db: Db, id: string): Promise<BackfillUploadRow | null> {
	const [row] = await db.select().from(backfillUploads).where(eq(backfillUploads.id, id));
	return row ?? null;
}

export async function backfillRowsOf(
	db: Db,
	params: { uploadId: string; outcomes: BackfillOutcome[] }
) {
	return db
		.select()
		.from(backfillRows)
		.where(
			and(
				eq(backfillRows.uploadId, params.uploadId),
				inArray(backfillRows.outcome, params.outcomes)
			)
		)
		.orderBy(backfillRows.line);
}

// ---- notifications -------------------------------------------------------------------------

export async function insertNotifications(
	tx: Db,
	rows: (typeof notifications.$inferInsert)[]
): Promise<NotificationRow[]> {
	if (rows.length === 0) return [];
	return tx.insert(notifications).values(rows).returning();
}

export async function getNotifications(db: Db, ids: string[]): Promise<NotificationRow[]> {
	if (ids.length === 0) return [];
	return db.select().from(notifications).where(inArray(notifications.id, ids));
}

export async function recordNotificationAttempt(
	db: Db,
	id: string,
	outcome: { channel: string; at: Date; error: string | null }
): Promise<void> {
	await db
		.update(notifications)
		.set({
			channel: outcome.channel,
			status: outcome.error ? 'failed' : 'sent',
			attempts: sql`${notifications.attempts} + 1`,
			lastAttemptAt: outcome.at,
			sentAt: outcome.error ? null : outcome.at,
			error: outcome.error
		})
		.where(eq(notifications.id, id));
}

/** Failed messages due another try: fewer than `maxAttempts`, last tried before `before`. */
export async function notificationsToRetry(
	db: Db,
	params: { before: Date; maxAttempts: number; limit: number }
): Promise<string[]> {
	const rows = await db
		.select({ id: notifications.id })
		.from(notifications)
		.where(
			and(
				eq(notifications.status, 'failed'),
				sql`${notifications.attempts} < ${params.maxAttempts}`,
				sql`${notifications.lastAttemptAt} < ${params.before.toISOString()}::timestamptz`
			)
		)
		.orderBy(notifications.lastAttemptAt)
		.limit(params.limit);
	return rows.map((r) => r.id);
}

/** Messages left pending (the process stopped before it sent them), oldest first. */
export async function pendingNotifications(
	db: Db,
	params: { before: Date; limit: number }
): Promise<string[]> {
	const rows = await db
		.select({ id: notifications.id })
		.from(notifications)
		.where(
			and(
				eq(notifications.status, 'pending'),
				sql`${notifications.createdAt} < ${params.before.toISOString()}::timestamptz`
			)
		)
		.orderBy(notifications.createdAt)
		.limit(params.limit);
	return rows.map((r) => r.id);
}

/** Recent messages, failed ones first. */
export async function listNotifications(
	db: Db,
	params: { districts?: string[]; limit: number }
): Promise<NotificationRow[]> {
	return db
		.select()
		.from(notifications)
		.where(params.districts ? inArray(notifications.districtCode, params.districts) : undefined)
		.orderBy(sql`(${notifications.status} = 'failed') desc`, desc(notifications.createdAt))
		.limit(params.limit);
}

/** A site's district, or null for an unknown site. */
export async function siteDistrictOf(db: Db, code: string): Promise<string | null> {
	const [row] = await db
		.select({ districtCode: sites.districtCode })
		.from(sites)
		.where(eq(sites.code, code));
	return row?.districtCode ?? null;
}

/** A site as the paper register page shows it. */
export async function siteSummary(
	db: Db,
	code: string
): Promise<{ code: string; name: string; districtCode: string; mode: SiteMode } | null> {
	const [row] = await db
		.select({
			code: sites.code,
			name: sites.name,
			districtCode: sites.districtCode,
			mode: sites.mode
		})
		.from(sites)
		.where(eq(sites.code, code));
	return row ?? null;
}
