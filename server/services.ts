import { createAdapter } from '@socket.io/postgres-adapter';
import type { Config } from '../src/lib/server/config';
import { createDb, type DbHandle } from '../src/lib/server/db/client';
import { announceChange } from '../src/lib/server/db/queries/cluster';
import { getMeta } from '../src/lib/server/db/queries/meta';
import { countRows } from '../src/lib/server/db/queries/site';
import { register } from '../src/lib/server/registry';
import { Authenticator } from './auth';
import { CHANGE_CHANNEL, ChangeListener, changePayloads, newNodeId } from './cluster/changes';
import { DatabaseWatch } from './cluster/database-watch';
import { AdvisoryLeader, SoleLeader, type Leader } from './cluster/leader';
import { createClusterPool } from './cluster/pg';
import { attachComplaintFeed, emitComplaints } from './complaints/feed';
import { ComplaintService } from './complaints/service';
import { FallbackService } from './fallback/service';
import { Ingest } from './feeds/ingest';
import { localUrlOf, startHealthMonitor, type HealthMonitor } from './health/monitor';
import type { LiveChange } from './live/change';
import { readLiveState } from './live/load';
import { LiveState } from './live/state';
import { LiveSync } from './live/sync';
import type { Logger } from './log';
import { createMetrics, type Metrics } from './metrics';
import type { Realtime } from './realtime/attach';
import { DeltaStreams } from './realtime/streams';
import { attachCallMarkFeed, emitCallMark } from './sms/feed';
import { startSmsMonitor } from './sms/monitor';
import { SmsService } from './sms/service';

export { readLiveLoad } from './live/load';

export interface Services {
	config: Config;
	log: Logger;
	handle: DbHandle;
	live: LiveState;
	ingest: Ingest;
	streams: DeltaStreams;
	auth: Authenticator;
	metrics: Metrics;
	/** Probes, health incidents and sample retention. */
	health: HealthMonitor;
	/** SMS delivery: call-list marks, resends, the failure-rate detector. */
	sms: SmsService;
	/** The help desk: complaints, incidents, hand-offs to officers, complaint spikes. */
	complaints: ComplaintService;
	/** Stall alerts, switching sites to paper and back, paper backfills, messages to sites. */
	fallback: FallbackService;
	/** This process among the nodes sharing the database. */
	node: string;
	/**
	 * Once-per-cluster work: `leader.whileLeader(name, start)` runs `start` on the one node
	 * holding the lock and stops it when that node loses it (docs/scale.md).
	 */
	leader: Leader;
	/** Whether the database answers; feeds are refused at once while it does not. */
	database: DatabaseWatch;
	/** The Socket.IO adapter that joins the nodes' sockets (PostgreSQL only). */
	socketAdapter?: ReturnType<typeof createAdapter>;
	/**
	 * Make a committed change live here and on the other nodes. For writes outside the
	 * feeds (mode switches, alerts, …); call after the transaction commits.
	 */
	publish(change: LiveChange): void;
	/** Whether this database holds the demo state (the UI says "Simulated data"). */
	demo: boolean;
	ready(): Promise<{
		ok: boolean;
		database: 'up' | 'down';
		migrated: boolean;
		leader: boolean;
		node: string;
	}>;
	socketCount(): number;
	/**
	 * Disconnect live sockets whose token or session is no longer good, now rather than at
	 * the next periodic check. Called after revoking a token, sessions or a person.
	 */
	recheckSockets(): Promise<void>;
	/** Rebuild the live state from the database; clients get it all in the next delta. */
	reload(now?: Date): Promise<void>;
	useRealtime(realtime: Realtime): void;
	close(): Promise<void>;
}

/** Open the database (retrying until it answers), migrate, and decide on demo mode. */
export async function openDatabase(config: Config, log: Logger): Promise<DbHandle> {
	for (let attempt = 1; ; attempt++) {
		try {
			const handle = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
			await handle.migrate();
			return handle;
		} catch (error) {
			if (config.databaseKind === 'pglite' || attempt >= 60) throw error;
			log.warn({ err: error, attempt }, 'database not reachable yet; retrying in 2 s');
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
}

/**
 * Demo mode (contract): DEMO=1 always, DEMO=0 never; unset, only on an embedded database
 * that is empty or already holds the demo. Never on a DATABASE_URL unless asked.
 */
export async function decideDemo(config: Config, handle: DbHandle): Promise<boolean> {
	if (config.DEMO !== undefined) return config.DEMO;
	if (config.databaseKind !== 'pglite') return false;
	if ((await getMeta(handle.db, 'demo')) === '1') return true;
	return (await countRows(handle.db, 'districts')) === 0;
}

export async function createServices(
	config: Config,
	log: Logger,
	options: { handle?: DbHandle; demo?: boolean } = {}
): Promise<Services> {
	const ownsHandle = !options.handle;
	const handle = options.handle ?? (await openDatabase(config, log));
	const demo = options.demo ?? (await decideDemo(config, handle));
	const live = new LiveState({
		timeZone: config.APP_TIMEZONE,
		thresholds: {
			stallMinutes: config.STALL_MINUTES,
			startupGraceMinutes: config.STARTUP_GRACE_MINUTES
		},
		simulated: demo
	});
	const metrics = createMetrics();
	const streams = new DeltaStreams(live);
	const node = newNodeId();
	const url = handle.kind === 'postgres' ? config.DATABASE_URL : undefined;
	let realtime: Realtime | undefined;
	let statusTimer: NodeJS.Timeout | undefined;
	let closed = false;

	const database: DatabaseWatch = new DatabaseWatch({
		ping: () => handle.ping(),
		log,
		// Hold the picture as it was: no keep-alives (screens show "stale since"), no
		// statuses re-derived from a clock the data can no longer follow.
		onDown: () => {
			streams.holding = true;
			live.setHealth(database.health());
		},
		onUp: () => {
			streams.holding = false;
			live.setHealth(database.health());
			// Writes cut off mid-commit, and other nodes' changes sent meanwhile: read it all again.
			sync.requestReload('database reachable again');
		}
	});
	const sync = new LiveSync({
		live,
		log,
		read: (now) => readLiveState(handle, live, now),
		onLoaded: () => live.setHealth(database.health())
	});
	const ingest = new Ingest({
		handle,
		live,
		node,
		publish: (change, tx) => sync.apply(change, tx),
		onBatch: (b) => {
			metrics.batchSize.observe({ feed: b.feed }, b.items);
			metrics.commitSeconds.observe({ feed: b.feed }, b.commitMs / 1000);
		},
		onFailure: () => database.suspect()
	});

	// Several nodes: listen to the others before the first read, so that nothing they
	// commit in between is missed (the read's snapshot tells what it already holds).
	const listener = url
		? new ChangeListener({
				url,
				node,
				log,
				onChange: (tx, change) => sync.apply(change, tx),
				onReloadRequest: (reason) => sync.requestReload(reason),
				onListen: (again) => {
					if (again) sync.requestReload('change listener reconnected');
				}
			})
		: null;
	await listener?.start();
	await sync.reload(new Date(), false);
	database.start();

	const leader: Leader = url
		? new AdvisoryLeader(url, log, config.CLUSTER_CHECK_MS)
		: new SoleLeader(log);
	leader.onChange((leading) => metrics.leader.set(leading ? 1 : 0));
	leader.start();
	const clusterPool = url ? createClusterPool(url, log) : null;
	const socketAdapter = clusterPool
		? createAdapter(clusterPool, {
				errorHandler: (err) => log.warn({ err }, 'socket adapter: database error')
			})
		: undefined;

	/** Changes made outside the feeds: applied here, then sent to the other nodes. */
	const publish = (change: LiveChange) => {
		sync.apply(change);
		if (!url) return;
		// Sent after the write committed: a node that reads the database after this notice
		// was sent holds the write too (its snapshot tells), so nothing is counted twice.
		announceChange(handle.db, { channel: CHANGE_CHANNEL, payloads: changePayloads(node, change) })
			.then(() => undefined)
			.catch((err) => {
				log.warn({ err }, 'could not tell the other nodes about a change');
				database.suspect();
			});
	};

	const reload = async (now = new Date()) => {
		await sync.reload(now);
		metrics.rebuildSeconds.set(sync.lastRebuildMs / 1000);
	};
	metrics.rebuildSeconds.set(sync.lastRebuildMs / 1000);

	// Site statuses and "last hour" follow the clock; at midnight the day starts over.
	const refresh = async () => {
		const now = new Date();
		try {
			if (!database.up) {
				// The picture is held while the database is away; it is rebuilt when it returns.
			} else if (live.isStale(now)) {
				await sync.reload(now, false);
				streams.reset();
				realtime?.resync();
				log.info({ day: live.day }, 'new day: live state rebuilt');
			} else {
				live.refresh(now);
			}
		} catch (error) {
			log.error({ err: error }, 'live refresh failed; will retry');
		}
		if (!closed) statusTimer = setTimeout(refresh, config.STATUS_INTERVAL_SECONDS * 1000);
	};
	statusTimer = setTimeout(refresh, config.STATUS_INTERVAL_SECONDS * 1000);

	const health = await startHealthMonitor({
		config,
		handle,
		live,
		ingest,
		log,
		metrics,
		demo,
		publish,
		leader,
		selfUrl: () => localUrlOf(realtime?.io.httpServer)
	});

	const sms = new SmsService({
		config,
		handle,
		live,
		ingest,
		log,
		emitMark: (mark, districtCode) => {
			if (realtime) emitCallMark(realtime.io, mark, districtCode);
		}
	});
	const smsMonitor = await startSmsMonitor({ config, handle, live, log, sms, publish, leader });

	const complaints = new ComplaintService({
		config,
		handle,
		live,
		log,
		publish,
		emit: (changed) => {
			if (realtime) emitComplaints(realtime.io, changed);
		}
	});
	leader.whileLeader('complaint detectors', () => complaints.startDetectors());

	const fallback = new FallbackService({ config, handle, live, log, publish });
	leader.whileLeader('stall alerts', () => fallback.startDetectors());

	const services: Services = {
		config,
		log,
		handle,
		live,
		ingest,
		streams,
		auth: new Authenticator(handle),
		metrics,
		health,
		sms,
		complaints,
		fallback,
		node,
		leader,
		database,
		socketAdapter,
		publish,
		demo,
		async ready() {
			const up = await database.check().then(() => database.up);
			// Migrations ran before the server started listening.
			return {
				ok: up,
				database: up ? 'up' : 'down',
				migrated: true,
				leader: leader.isLeader,
				node
			};
		},
		socketCount: () => realtime?.io.engine.clientsCount ?? 0,
		recheckSockets: async () => realtime?.recheck(),
		reload,
		useRealtime(r) {
			realtime = r;
			attachCallMarkFeed(r.io);
			attachComplaintFeed(r.io);
		},
		async close() {
			closed = true;
			clearTimeout(statusTimer);
			database.close();
			await smsMonitor.close();
			await health.close();
			await leader.close();
			await fallback.settled();
			await listener?.close();
			await realtime?.close();
			await clusterPool?.end();
			if (ownsHandle) await handle.close();
		}
	};
	register('db', handle);
	register('services', services);
	return services;
}
