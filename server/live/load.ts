import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { listOpenAlerts } from '../../src/lib/server/db/queries/alert';
import { currentSnapshot } from '../../src/lib/server/db/queries/cluster';
import { doseSumsBetween, lastDoseBySite } from '../../src/lib/server/db/queries/dose';
import { latestHealthSamples } from '../../src/lib/server/db/queries/field';
import { listDistricts, listSites, sessionsOn } from '../../src/lib/server/db/queries/site';
import { smsCountsBySite } from '../../src/lib/server/db/queries/sms';
import { DEGRADED_LATENCY_MS } from './health';
import type { LiveLoad, LiveState } from './state';
import type { LiveRead } from './sync';

/** Read what the live state is rebuilt from: the day of `now`, from rollups, not raw scans. */
export async function readLiveLoad(
	handle: DbHandle,
	live: LiveState,
	now: Date,
	db: Db = handle.db
): Promise<LiveLoad> {
	const { day, start, end } = live.dayBounds(now);
	const [districts, sites, sessions, sums, lastDoses, sms, health, alerts] = await Promise.all([
		listDistricts(db),
		listSites(db),
		sessionsOn(db, day),
		// Minutes from two hours back: "last hour" is all that reads them.
		doseSumsBetween(db, start, end, new Date(now.getTime() - 2 * 3_600_000)),
		lastDoseBySite(db, start, end),
		smsCountsBySite(db, start, end),
		latestHealthSamples(db),
		listOpenAlerts(db)
	]);
	return {
		districts,
		sites,
		sessions,
		rollups: [],
		siteDoses: sums.sites,
		districtMinutes: sums.districtMinutes,
		lastDoses,
		sms,
		health: health.map((h) => ({
			target: h.target,
			status: !h.ok ? 'down' : (h.latencyMs ?? 0) > DEGRADED_LATENCY_MS ? 'degraded' : 'up',
			latencyMs: h.latencyMs,
			at: new Date(h.atMs).toISOString()
		})),
		alerts: alerts.map((a) => ({
			id: a.id,
			kind: a.kind,
			status: a.status === 'acknowledged' ? 'acknowledged' : 'open',
			openedAt: a.openedAt.toISOString(),
			districtCode: a.districtCode ?? undefined,
			siteCode: a.siteCode ?? undefined,
			parentId: a.parentId ?? undefined,
			summary: a.summary
		}))
	};
}

/**
 * The same, read in one repeatable-read transaction together with its snapshot, so that
 * changes committed while it is read can be told apart (held already, or still to apply).
 */
export async function readLiveState(
	handle: DbHandle,
	live: LiveState,
	now: Date
): Promise<LiveRead> {
	return handle.db.transaction(
		async (tx) => {
			const db = tx as unknown as Db;
			const snapshot = await currentSnapshot(db);
			return { snapshot, load: await readLiveLoad(handle, live, now, db) };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}
