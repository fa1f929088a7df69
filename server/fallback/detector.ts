import type { DbHandle } from '../../src/lib/server/db/client';
import {
	addAlertEvents,
	insertAlerts,
	lockStallAlerts,
	openAlertsOfKinds,
	resolveAlerts,
	setAlertParents,
	updateAlertSummary,
	type AlertRow
} from '../../src/lib/server/db/queries/alert';
import { openHealthIncidents } from '../../src/lib/server/db/queries/health';
import { SITE_STALLED, STALL_GROUP } from '../../src/lib/shared/fallback';
import { ChangeBuilder } from '../live/change';
import type { LiveState } from '../live/state';
import type { Logger } from '../log';
import { commitWithChange, type ChangeSink } from './commit';
import { alertLive } from './alert-live';
import {
	planStallAlerts,
	type GroupCause,
	type OpenGroupAlert,
	type SiteNow,
	type StallPlan,
	type StallRule
} from './rules';

/** Alerts written by the detectors carry this actor in their life. */
const SYSTEM = 'system';

export interface StallDetectorDeps {
	handle: DbHandle;
	live: LiveState;
	sink: ChangeSink;
	log: Logger;
	rule: StallRule;
	/** The clock: site statuses are derived at this time before each pass. */
	now?: () => Date;
}

interface GroupDetail {
	key: string;
	cause: GroupCause;
	count: number;
}

/** Every site of the live picture with its status and, when stalled, why. */
export function readSites(live: LiveState): SiteNow[] {
	const out: SiteNow[] = [];
	for (const code of live.siteCodes()) {
		const s = live.siteView(code);
		if (!s) continue;
		out.push({
			code,
			name: s.name,
			districtCode: s.districtCode,
			status: s.status,
			cause: live.siteCause(code)
		});
	}
	return out;
}

function districtNames(live: LiveState): Record<string, string> {
	return Object.fromEntries(live.districtCodes().map((c) => [c, live.districtView(c)?.name ?? c]));
}

/**
 * Raises, groups and resolves `site_stalled` alerts from the live site statuses (rules.ts).
 * Each pass is one transaction under an advisory lock, so processes sharing a database never
 * open one site's alert twice; screens hear of it after the commit. Passes never overlap.
 */
export class StallDetector {
	private running: Promise<StallPlan> | null = null;
	private readonly now: () => Date;

	constructor(private readonly deps: StallDetectorDeps) {
		this.now = deps.now ?? (() => new Date());
	}

	/** One pass now (or the one under way). */
	pass(): Promise<StallPlan> {
		this.running ??= this.run().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async run(): Promise<StallPlan> {
		const { live, log, rule } = this.deps;
		const now = this.now();
		live.refresh(now);
		const sites = readSites(live);
		const names = districtNames(live);
		const plan = await commitWithChange(this.deps.sink, async (tx) => {
			await lockStallAlerts(tx);
			const open = await openAlertsOfKinds(tx, [SITE_STALLED, STALL_GROUP]);
			const incidents = await openHealthIncidents(tx);
			const groups: (OpenGroupAlert & { row: AlertRow })[] = open
				.filter((a) => a.kind === STALL_GROUP)
				.map((a) => ({ id: a.id, key: (a.detail as GroupDetail).key, summary: a.summary, row: a }));
			const plan = planStallAlerts(
				{
					sites,
					districtNames: names,
					siteAlerts: open
						.filter((a) => a.kind === SITE_STALLED && a.siteCode)
						.map((a) => ({ id: a.id, siteCode: a.siteCode!, parentId: a.parentId })),
					groups,
					incidents: incidents.map((i) => ({
						id: i.id,
						target: i.detail.target,
						severity: i.detail.severity,
						openedAt: i.openedAt
					}))
				},
				rule
			);
			const change = new ChangeBuilder();
			const events: Parameters<typeof addAlertEvents>[1] = [];

			// Parents first: their ids are the children's parentId.
			const groupId = new Map<string, string>();
			const summaryOf = new Map<string, string>();
			const fresh = plan.groups.filter((g) => !g.existing);
			const inserted = await insertAlerts(
				tx,
				fresh.map((g) => ({
					kind: STALL_GROUP,
					openedAt: now,
					districtCode: g.districtCode,
					summary: g.summary,
					detail: { key: g.key, cause: g.cause, count: g.count } satisfies GroupDetail
				}))
			);
			for (const row of inserted) {
				const key = (row.detail as GroupDetail).key;
				groupId.set(key, row.id);
				summaryOf.set(row.id, row.summary);
				change.alert(alertLive(row));
				events.push({ alertId: row.id, kind: 'opened', actor: SYSTEM, text: row.summary, at: now });
			}
			for (const g of plan.groups) {
				if (!g.existing) continue;
				groupId.set(g.key, g.existing.id);
				summaryOf.set(g.existing.id, g.summary);
				if (g.existing.summary === g.summary) continue;
				const row = await updateAlertSummary(tx, g.existing.id, {
					summary: g.summary,
					detail: { key: g.key, cause: g.cause, count: g.count } satisfies GroupDetail
				});
				if (row) change.alert(alertLive(row));
			}
			const parentOf = (key: string | null) => (key ? (groupId.get(key) ?? null) : null);

			const opened = await insertAlerts(
				tx,
				plan.open.map((o) => ({
					kind: SITE_STALLED,
					openedAt: now,
					districtCode: o.districtCode,
					siteCode: o.siteCode,
					parentId: parentOf(o.parentKey),
					summary: o.summary,
					detail: { cause: sites.find((s) => s.code === o.siteCode)?.cause ?? null }
				}))
			);
			for (const row of opened) {
				change.alert(alertLive(row));
				events.push({ alertId: row.id, kind: 'opened', actor: SYSTEM, text: row.summary, at: now });
				if (row.parentId) {
					events.push({
						alertId: row.id,
						kind: 'grouped',
						actor: SYSTEM,
						text: summaryOf.get(row.parentId) ?? null,
						at: now
					});
				}
			}

			const moved = await setAlertParents(
				tx,
				plan.regroup.map((r) => ({ id: r.id, parentId: parentOf(r.parentKey) }))
			);
			for (const row of moved) {
				change.alert(alertLive(row));
				events.push({
					alertId: row.id,
					kind: 'grouped',
					actor: SYSTEM,
					text: row.parentId
						? (summaryOf.get(row.parentId) ?? null)
						: 'no longer grouped: its cause has cleared',
					at: now
				});
			}

			const reasons = new Map<string, string>([
				...plan.resolve.map((r) => [r.id, r.reason] as const),
				...plan.resolveGroups.map((r) => [r.id, r.reason] as const)
			]);
			for (const id of await resolveAlerts(tx, [...reasons.keys()], now)) {
				change.alertClosed(id);
				events.push({
					alertId: id,
					kind: 'resolved',
					actor: SYSTEM,
					text: reasons.get(id),
					at: now
				});
			}
			await addAlertEvents(tx, events);
			return { value: plan, change: change.take() };
		});
		if (plan.open.length || plan.resolve.length) {
			log.info(
				{
					opened: plan.open.map((o) => o.siteCode),
					resolved: plan.resolve.map((r) => r.siteCode),
					groups: plan.groups.map((g) => `${g.key}:${g.count}`)
				},
				'stall alerts'
			);
		}
		return plan;
	}
}

export interface StallMonitor {
	stop(): Promise<void>;
}

/**
 * The timer around the detector and the retry of failed messages to sites: it reschedules
 * itself after each run and logs and carries on after an error. Runs on one node (the
 * leader) when there are several.
 */
export function startStallMonitor(deps: {
	detector: StallDetector;
	/** Retry failed messages to sites. */
	retry(): Promise<void>;
	intervalMs: number;
	log: Logger;
}): StallMonitor {
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	let current: Promise<void> = Promise.resolve();
	const tick = () => {
		current = (async () => {
			try {
				await deps.detector.pass();
			} catch (err) {
				deps.log.error({ err }, 'stall alert check failed; will retry');
			}
			try {
				await deps.retry();
			} catch (err) {
				deps.log.error({ err }, 'retrying messages to sites failed; will retry');
			}
		})();
		void current.finally(() => {
			if (!stopped) timer = setTimeout(tick, deps.intervalMs);
		});
	};
	timer = setTimeout(tick, deps.intervalMs);
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await current;
		}
	};
}
