/**
 * The SMS detector: every SMS_CHECK_SECONDS, on one node (the leader), each district's
 * failure rate over the last 10 minutes opens, restates or closes `sms_failure_spike`
 * alerts in the live feed; once an hour, pending-minute rows no longer read are dropped.
 */
import type { Config } from '../../src/lib/server/config';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	lockSmsAlerts,
	openDistrictAlert,
	openDistrictAlerts,
	recentOutcomesByDistrict,
	resolveAlert,
	restateAlert,
	type SmsAlertRow
} from '../../src/lib/server/db/queries/sms-ops';
import type { AlertLive } from '../../src/lib/shared/live';
import { applyChange, ChangeBuilder, type LiveChange } from '../live/change';
import type { LiveState } from '../live/state';
import type { Logger } from '../log';
import type { SmsService } from './service';
import {
	planSpikes,
	SMS_FAILURE_SPIKE,
	SPIKE_WINDOW_MS,
	spikeSummary,
	type SpikeReading,
	type SpikeRule
} from './spike';

const PRUNE_EVERY_MS = 60 * 60_000;
const BUCKET_MS = 5 * 60_000;

/** Runs `start` while this node leads (server/cluster/leader.ts); without one, always. */
interface LeaderLike {
	whileLeader(
		name: string,
		start: () => (() => void | Promise<void>) | void | Promise<(() => void | Promise<void>) | void>
	): void;
}

export interface SmsMonitorDeps {
	config: Config;
	handle: DbHandle;
	live: LiveState;
	log: Logger;
	sms: SmsService;
	/** Makes a committed change live (on every node); by default applied to `live` alone. */
	publish?: (change: LiveChange) => void;
	leader?: LeaderLike;
	now?: () => Date;
}

export interface SmsMonitor {
	/** One failure-rate pass now (tests; the timer calls the same). */
	evaluate(): Promise<void>;
	close(): Promise<void>;
}

export function spikeRule(config: Config): SpikeRule {
	return {
		threshold: config.SMS_FAILURE_RATE_THRESHOLD,
		minMessages: config.SMS_FAILURE_MIN_MESSAGES
	};
}

/**
 * The window: the current 5-minute bucket and the two before it, so at least the last 10
 * minutes are always in (at most 15) without splitting a bucket.
 */
export function spikeWindowStart(now: Date): Date {
	return new Date(Math.floor(now.getTime() / BUCKET_MS) * BUCKET_MS - SPIKE_WINDOW_MS);
}

function toLive(row: SmsAlertRow): AlertLive {
	return {
		id: row.id,
		kind: SMS_FAILURE_SPIKE,
		status: row.status,
		openedAt: row.openedAt.toISOString(),
		districtCode: row.districtCode,
		summary: row.summary
	};
}

const detailOf = (r: SpikeReading, windowStart: Date) => ({
	rate: r.rate,
	failed: r.failed,
	noReport: r.noReport,
	total: r.total,
	topReason: r.topReason,
	windowStart: windowStart.toISOString()
});

export async function startSmsMonitor(deps: SmsMonitorDeps): Promise<SmsMonitor> {
	const { config, handle, live, log, sms } = deps;
	const now = deps.now ?? (() => new Date());
	const publish = deps.publish ?? ((change: LiveChange) => applyChange(live, change));
	const rule = spikeRule(config);
	let running: Promise<void> | null = null;

	await sms.ensureRollups();

	const pass = async () => {
		const at = now();
		const windowStart = spikeWindowStart(at);
		const change = new ChangeBuilder();
		await handle.db.transaction(async (txAny) => {
			const tx = txAny as unknown as Db;
			await lockSmsAlerts(tx);
			const [recent, open] = await Promise.all([
				recentOutcomesByDistrict(tx, {
					from: windowStart,
					now: at,
					noReportMinutes: config.SMS_NO_REPORT_MINUTES
				}),
				openDistrictAlerts(tx, SMS_FAILURE_SPIKE)
			]);
			const plan = planSpikes(
				recent,
				open.map((o) => ({ id: o.id, districtCode: o.districtCode, rate: o.detail?.rate ?? 0 })),
				rule
			);
			const name = (code: string) => live.districtView(code)?.name ?? code;
			for (const r of plan.open) {
				const row = await openDistrictAlert(tx, {
					kind: SMS_FAILURE_SPIKE,
					districtCode: r.districtCode,
					openedAt: at,
					summary: spikeSummary(name(r.districtCode), r),
					detail: detailOf(r, windowStart)
				});
				change.alert(toLive(row));
				log.warn({ district: r.districtCode, rate: r.rate, total: r.total }, 'SMS failure spike');
			}
			const byId = new Map(open.map((o) => [o.id, o]));
			for (const u of plan.update) {
				const row = byId.get(u.id)!;
				const summary = spikeSummary(name(row.districtCode), u.reading);
				await restateAlert(tx, u.id, { summary, detail: detailOf(u.reading, windowStart) });
				change.alert(toLive({ ...row, summary }));
			}
			for (const c of plan.close) {
				if (await resolveAlert(tx, c.id, { at, reason: c.reason })) {
					change.alertClosed(c.id);
					log.info({ district: c.districtCode, reason: c.reason }, 'SMS failure spike over');
				}
			}
		});
		const taken = change.take();
		if (taken) publish(taken);
	};

	// Passes never overlap: a call during one waits for it and does not start another.
	const evaluate = () => {
		running ??= pass().finally(() => {
			running = null;
		});
		return running;
	};

	let closed = false;
	const timers = new Set<NodeJS.Timeout>();
	const loop = (name: string, everyMs: number, run: () => Promise<unknown>) => () => {
		let timer: NodeJS.Timeout | undefined;
		let stopped = false;
		const tick = async () => {
			try {
				await run();
			} catch (error) {
				log.error({ err: error }, `${name} failed; will retry`);
			}
			if (!stopped && !closed) {
				timer = setTimeout(() => void tick(), everyMs);
				timers.add(timer);
			}
		};
		timer = setTimeout(() => void tick(), everyMs);
		timers.add(timer);
		return () => {
			stopped = true;
			if (timer) clearTimeout(timer);
		};
	};
	const checks = loop('SMS failure-rate check', config.SMS_CHECK_SECONDS * 1000, evaluate);
	const prune = loop('SMS rollup pruning', PRUNE_EVERY_MS, () => sms.prune());
	if (deps.leader) {
		deps.leader.whileLeader('sms-failure-check', checks);
		deps.leader.whileLeader('sms-rollup-pruning', prune);
	} else {
		checks();
		prune();
	}

	return {
		evaluate,
		async close() {
			closed = true;
			for (const t of timers) clearTimeout(t);
			await running?.catch(() => {
				// Its error was logged by the loop or reported to whoever asked for the pass.
			});
		}
	};
}
