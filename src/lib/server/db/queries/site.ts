import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SessionRecord } from '../../../shared/feeds';
import { resultRows, type Db } from '../client';
import { districts, sessions, sites, type SiteMode } from '../schema';

export interface DistrictRow {
	code: string;
	name: string;
}

export async function listDistricts(db: Db): Promise<DistrictRow[]> {
	return db
		.select({ code: districts.code, name: districts.name })
		.from(districts)
		.orderBy(districts.name);
}

export interface SiteRow {
	code: string;
	name: string;
	districtCode: string;
	lat: number | null;
	lon: number | null;
	mode: SiteMode;
	lastHeartbeatAt: Date | null;
	modeChangedAt: Date | null;
}

export async function listSites(db: Db): Promise<SiteRow[]> {
	return db
		.select({
			code: sites.code,
			name: sites.name,
			districtCode: sites.districtCode,
			lat: sites.lat,
			lon: sites.lon,
			mode: sites.mode,
			lastHeartbeatAt: sites.lastHeartbeatAt,
			modeChangedAt: sites.modeChangedAt
		})
		.from(sites);
}

/** Which of these site codes exist. */
export async function existingSiteCodes(db: Db, codes: string[]): Promise<Set<string>> {
	if (codes.length === 0) return new Set();
	const rows = await db.select({ code: sites.code }).from(sites).where(inArray(sites.code, codes));
	return new Set(rows.map((r) => r.code));
}

export interface SessionRow {
	id: string;
	siteCode: string;
	date: string;
	capacity: number;
	startsAt: Date | null;
	endsAt: Date | null;
}

export async function sessionsOn(db: Db, date: string): Promise<SessionRow[]> {
	return db
		.select({
			id: sessions.id,
			siteCode: sessions.siteCode,
			date: sessions.date,
			capacity: sessions.capacity,
			startsAt: sessions.startsAt,
			endsAt: sessions.endsAt
		})
		.from(sessions)
		.where(eq(sessions.date, date));
}

/** District lookups for sites named by a session feed: by code, or by name as CoWIN sends. */
export async function districtIndex(
	db: Db
): Promise<{ codes: Set<string>; byName: Map<string, string> }> {
	const rows = await listDistricts(db);
	return {
		codes: new Set(rows.map((r) => r.code)),
		byName: new Map(rows.map((r) => [normaliseName(r.name), r.code]))
	};
}

/** Case, spacing and punctuation forgiven when matching a district by name. */
export function normaliseName(name: string): string {
	return name
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '');
}

export interface NewSite {
	code: string;
	name: string;
	districtCode: string;
	lat: number | null;
	lon: number | null;
	pincode: string | null;
}

/** Create sites, or refresh their name/location; a site's district and mode are kept. */
export async function upsertSites(db: Db, rows: NewSite[]): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insert(sites)
		.values(rows)
		.onConflictDoUpdate({
			target: sites.code,
			set: {
				name: sql`excluded.name`,
				lat: sql`coalesce(excluded.lat, ${sites.lat})`,
				lon: sql`coalesce(excluded.lon, ${sites.lon})`,
				pincode: sql`coalesce(excluded.pincode, ${sites.pincode})`
			}
		});
}

/** Create or update planned sessions (the latest plan wins). */
export async function upsertSessions(db: Db, rows: SessionRecord[]): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insert(sessions)
		.values(
			rows.map((s) => ({
				id: s.sessionId,
				siteCode: s.siteCode,
				date: s.date,
				capacity: s.capacity,
				vaccine: s.vaccine,
				startsAt: s.startsAt,
				endsAt: s.endsAt
			}))
		)
		.onConflictDoUpdate({
			target: sessions.id,
			set: {
				siteCode: sql`excluded.site_code`,
				date: sql`excluded.date`,
				capacity: sql`excluded.capacity`,
				vaccine: sql`excluded.vaccine`,
				startsAt: sql`excluded.starts_at`,
				endsAt: sql`excluded.ends_at`,
				updatedAt: sql`now()`
			}
		});
}

/** Move each site's latest heartbeat forward (never back). */
export async function touchHeartbeats(db: Db, latest: Map<string, Date>): Promise<void> {
	if (latest.size === 0) return;
	const codes = [...latest.keys()];
	const times = codes.map((c) => latest.get(c)!.toISOString());
	await db.execute(sql`
		update sites s set last_heartbeat_at = greatest(s.last_heartbeat_at, t.at)
		from unnest(${sql.param(codes)}::text[], ${sql.param(times)}::text[]::timestamptz[]) as t(code, at)
		where s.code = t.code`);
}

export async function setSiteMode(
	db: Db,
	code: string,
	mode: SiteMode,
	at: Date
): Promise<boolean> {
	const rows = await db
		.update(sites)
		.set({ mode, modeChangedAt: at })
		.where(and(eq(sites.code, code)))
		.returning({ code: sites.code });
	return rows.length > 0;
}

export async function countRows(
	db: Db,
	table: 'sites' | 'districts' | 'sessions'
): Promise<number> {
	const result = await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
	return Number(resultRows<{ n: number }>(result)[0]?.n ?? 0);
}
