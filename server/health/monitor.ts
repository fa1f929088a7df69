import type { Config } from '../../src/lib/server/config';
import type { DbHandle } from '../../src/lib/server/db/client';
import {
	addProbeTargetsIfMissing,
	listProbeTargets,
	seedStatusNotices
} from '../../src/lib/server/db/queries/health';
import { getMeta, setMeta } from '../../src/lib/server/db/queries/meta';
import {
	HEALTH_CONTROL,
	incidentThresholds,
	type HealthControl
} from '../../src/lib/server/health/control';
import { defaultStatusNotices, demoProbeTargets } from '../../src/lib/server/health/defaults';
import { register, unregister } from '../../src/lib/server/registry';
import { sampleStatus } from '../../src/lib/shared/health';
import { parseFeedBody } from '../feeds/forms';
import type { Ingest } from '../feeds/ingest';
import { applyChange, type LiveChange } from '../live/change';
import type { LiveState } from '../live/state';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { systemClock, type Clock } from './clock';
import { IncidentDetector } from './detector';
import type { IncidentRule } from './incident';
import type { ProbeSample } from './probe';
import { runRetention, type RetentionPolicy } from './retention';
import { ProbeRunner } from './runner';

/** Probe targets are read again this often, whatever the pages said (other nodes' edits). */
const RESYNC_MS = 30_000;
/** The first retention run waits this long after start-up, out of the way of the rebuild. */
const FIRST_RETENTION_MS = 60_000;
const DEMO_PROBES_SEEDED = 'health.demo_probes_seeded';

export interface HealthMonitorDeps {
	config: Config;
	handle: DbHandle;
	live: LiveState;
	/** How committed changes go live; by default applied to `live` alone. */
	publish?: (change: LiveChange) => void;
	ingest: Ingest;
	log: Logger;
	metrics: Metrics;
	/** Demo mode: add the self-probe on first start. */
	demo: boolean;
	/** This server's base URL once it listens (for probes of /healthz and the like). */
	selfUrl?: () => string | undefined;
	/** Several nodes: probes, incident checks and retention run on the leader only. */
	leader?: LeaderLike;
	clock?: Clock;
}

/** Runs `start` while this node leads (server/cluster/leader.ts); without one, always. */
interface LeaderLike {
	whileLeader(
		name: string,
		start: () => (() => void | Promise<void>) | void | Promise<(() => void | Promise<void>) | void>
	): void;
}

export interface HealthMonitor {
	readonly rule: IncidentRule;
	/** Read the probe targets again and start, restart or stop their loops (while leading). */
	syncTargets(): Promise<void>;
	/** Look for incidents to open or close now. */
	evaluate(): Promise<void>;
	/** Downsample and prune now. */
	retain(): ReturnType<typeof runRetention>;
	/** Probe targets whose loops are running. */
	readonly probing: string[];
	close(): Promise<void>;
}

export const incidentRule = (config: Config): IncidentRule => incidentThresholds(config);

export function retentionPolicy(config: Config): RetentionPolicy {
	return {
		downsampleAfterMs: config.HEALTH_DOWNSAMPLE_AFTER_HOURS * 3_600_000,
		rawKeepMs: config.HEALTH_RAW_DAYS * 24 * 3_600_000,
		aggregateKeepMs: config.HEALTH_AGGREGATE_DAYS * 24 * 3_600_000
	};
}

/**
 * The health of outside systems and of this product: built-in probes (whose samples take
 * the same ingest path as pushed ones), the incident detector, and sample retention, each
 * on its own self-rescheduling timer that logs and carries on after an error; on the leader
 * node only when there are several.
 */
export async function startHealthMonitor(deps: HealthMonitorDeps): Promise<HealthMonitor> {
	const { config, handle, log, metrics } = deps;
	const clock = deps.clock ?? systemClock;
	const rule = incidentRule(config);
	const policy = retentionPolicy(config);
	let closed = false;

	await seedStatusNotices(handle.db, defaultStatusNotices);
	if (deps.demo && (await getMeta(handle.db, DEMO_PROBES_SEEDED)) === null) {
		await addProbeTargetsIfMissing(handle.db, demoProbeTargets, 'demo');
		await setMeta(handle.db, DEMO_PROBES_SEEDED, '1');
	}

	const detector = new IncidentDetector({
		handle,
		publish: deps.publish ?? ((change) => applyChange(deps.live, change)),
		log,
		clock,
		rule,
		onPass: (open) => metrics.healthIncidentsOpen.set(open)
	});
	const evaluate = () =>
		detector.evaluate().catch((error) => {
			log.error({ err: error }, 'health incident check failed; will retry');
		});

	const record = async (sample: ProbeSample) => {
		const request = parseFeedBody('health', JSON.stringify([sample]), 'application/json', {
			timeZone: config.APP_TIMEZONE
		});
		const result = await deps.ingest.submit('health', { ...request, quarantine: true });
		const status = sampleStatus(sample.ok, sample.latencyMs);
		metrics.probeChecks.inc({ target: sample.target, status });
		if (sample.latencyMs !== undefined)
			metrics.probeLatencySeconds.observe({ target: sample.target }, sample.latencyMs / 1000);
		if (result.rejected.length > 0)
			log.warn({ target: sample.target, rejected: result.rejected }, 'probe sample rejected');
		if (!sample.ok) log.debug({ sample }, 'probe check failed');
		if (!closed) await evaluate();
	};

	const runner = new ProbeRunner({ clock, log, selfUrl: deps.selfUrl, record });
	let leading = false;
	const syncTargets = async () => {
		if (closed || !leading) return;
		runner.sync(await listProbeTargets(handle.db));
	};

	// Three loops: re-read targets, look for incidents from pushed samples, fold and prune.
	const timers = new Set<unknown>();
	const inFlight = new Set<Promise<void>>();
	const every = (name: string, firstMs: number, ms: number, run: () => Promise<unknown>) => {
		const tick = () => {
			timers.delete(timer);
			const running = run()
				.then(
					() => undefined,
					(error) => log.error({ err: error }, `${name} failed; will retry`)
				)
				.finally(() => {
					inFlight.delete(running);
					if (!closed && leading) timers.add((timer = clock.setTimeout(tick, ms)));
				});
			inFlight.add(running);
		};
		let timer = clock.setTimeout(tick, firstMs);
		timers.add(timer);
	};

	/** Probes, incident checks and retention run on one node: the leader, while it leads. */
	const lead = async () => {
		if (closed) return;
		leading = true;
		await syncTargets();
		every('probe target sync', RESYNC_MS, RESYNC_MS, syncTargets);
		every('health incident check', 0, config.HEALTH_EVALUATE_SECONDS * 1000, evaluate);
		every(
			'health retention',
			FIRST_RETENTION_MS,
			config.HEALTH_RETENTION_MINUTES * 60_000,
			async () => {
				const result = await runRetention(handle, policy, new Date(clock.now()));
				if (result.buckets || result.rawDeleted || result.aggregatesDeleted)
					log.info(result, 'health samples downsampled and pruned');
			}
		);
		return stopLeading;
	};
	const stopLeading = async () => {
		leading = false;
		for (const t of timers) clock.clearTimeout(t);
		timers.clear();
		await runner.stop();
		await Promise.all(inFlight);
		await detector.settled();
	};
	if (deps.leader) deps.leader.whileLeader('health monitor', lead);
	else await lead();

	const control: HealthControl = {
		targetsChanged: () => {
			void syncTargets().catch((error) =>
				log.error({ err: error }, 'probe targets could not be read; will retry')
			);
		}
	};
	register(HEALTH_CONTROL, control);

	return {
		rule,
		syncTargets,
		evaluate: () => detector.evaluate(),
		retain: () => runRetention(handle, policy, new Date(clock.now())),
		get probing() {
			return runner.targets;
		},
		async close() {
			closed = true;
			unregister(HEALTH_CONTROL);
			await stopLeading();
		}
	};
}

/** The base URL a listening HTTP server answers on from this machine (for self-probes). */
export function localUrlOf(
	server: { address(): import('node:net').AddressInfo | string | null } | undefined
): string | undefined {
	const address = server?.address();
	if (!address || typeof address === 'string') return undefined;
	const any = address.address === '0.0.0.0' || address.address === '::' || address.address === '';
	const host = any
		? '127.0.0.1'
		: address.family === 'IPv6'
			? `[${address.address}]`
			: address.address;
	return `http://${host}:${address.port}`;
}
