import type { DbHandle } from '../../src/lib/server/db/client';
import {
	escalateHealthIncident,
	insertHealthIncident,
	lockHealthIncidents,
	openHealthIncidents,
	resolveHealthIncident,
	samplesForIncidentRule,
	type IncidentDetail,
	type IncidentRow,
	type SampleRow
} from '../../src/lib/server/db/queries/health';
import { HEALTH_INCIDENT, sampleStatus, targetLabel } from '../../src/lib/shared/health';
import type { AlertLive } from '../../src/lib/shared/live';
import { ChangeBuilder, type LiveChange } from '../live/change';
import type { Logger } from '../log';
import type { Clock } from './clock';
import { decideIncident, type IncidentRule } from './incident';

/** Samples further back than this are not looked at (an incident rule needs minutes, not days). */
const HORIZON_MS = 24 * 3_600_000;

export interface DetectorDeps {
	handle: DbHandle;
	/** Makes a committed change live (this node, and the others when there are several). */
	publish(change: LiveChange): void;
	log: Logger;
	clock: Clock;
	rule: IncidentRule;
	/** Told the number of incidents open after each pass (metrics). */
	onPass?: (open: number) => void;
}

type Published =
	| { kind: 'upsert'; alert: AlertLive }
	| { kind: 'close'; id: string; target: string; reason: string };

function toLive(row: IncidentRow): AlertLive {
	return {
		id: row.id,
		kind: HEALTH_INCIDENT,
		status: row.status === 'acknowledged' ? 'acknowledged' : 'open',
		openedAt: row.openedAt.toISOString(),
		summary: row.summary
	};
}

const summaryOf = (target: string, severity: string, reason: string) =>
	`${targetLabel(target)} ${severity}: ${reason}`;

/**
 * Opens, escalates and closes `health_incident` alerts from the stored samples (built-in
 * probes and pushed ones alike). Each pass runs in one transaction under an advisory lock,
 * so nodes sharing a database never open the same incident twice; the live feed hears of
 * a change only after it commits. Passes never overlap: a request during a pass runs one
 * more pass after it.
 */
export class IncidentDetector {
	private running: Promise<void> | null = null;
	private again = false;

	constructor(private readonly deps: DetectorDeps) {}

	evaluate(): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			try {
				do {
					this.again = false;
					await this.pass();
				} while (this.again);
			} finally {
				this.running = null;
			}
		})();
		return this.running;
	}

	/** Resolves when no pass is under way (for shutting down). */
	async settled(): Promise<void> {
		await this.running?.catch(() => {
			// Its error was reported to whoever asked for the pass.
		});
	}

	private async pass(): Promise<void> {
		const { handle, log, clock, rule } = this.deps;
		const now = new Date(clock.now());
		const published: Published[] = [];
		let openCount = 0;
		await handle.db.transaction(async (txAny) => {
			const tx = txAny as unknown as typeof handle.db;
			await lockHealthIncidents(tx);
			const open = await openHealthIncidents(tx);
			const samples = await samplesForIncidentRule(tx, {
				horizon: new Date(now.getTime() - HORIZON_MS),
				windowStart: new Date(now.getTime() - rule.errorWindowMs),
				now,
				last: Math.max(rule.openAfter, rule.closeAfter)
			});
			const byTarget = new Map<string, SampleRow[]>();
			for (const s of samples) {
				let list = byTarget.get(s.target);
				if (!list) byTarget.set(s.target, (list = []));
				list.push(s);
			}
			const openOf = new Map<string, IncidentRow>();
			for (const row of open) if (row.detail?.target) openOf.set(row.detail.target, row);
			openCount = openOf.size;

			for (const [target, list] of byTarget) {
				const incident = openOf.get(target) ?? null;
				const decision = decideIncident(
					list.map((s) => ({
						atMs: s.atMs,
						status: sampleStatus(s.ok, s.latencyMs),
						latencyMs: s.latencyMs,
						detail: s.detail
					})),
					incident ? { severity: incident.detail.severity } : null,
					rule,
					now.getTime()
				);
				if (decision.kind === 'open') {
					const detail: IncidentDetail = {
						target,
						severity: decision.severity,
						since: new Date(decision.sinceMs).toISOString(),
						reason: decision.reason
					};
					const row = await insertHealthIncident(tx, {
						openedAt: new Date(decision.atMs),
						summary: summaryOf(target, decision.severity, decision.reason),
						detail
					});
					published.push({ kind: 'upsert', alert: toLive(row) });
					openCount++;
				} else if (decision.kind === 'escalate' && incident) {
					const detail = {
						...incident.detail,
						severity: decision.severity,
						reason: decision.reason
					};
					const row = await escalateHealthIncident(tx, incident.id, {
						summary: summaryOf(target, decision.severity, decision.reason),
						detail
					});
					if (row) published.push({ kind: 'upsert', alert: toLive(row) });
				} else if (decision.kind === 'close' && incident) {
					await resolveHealthIncident(tx, incident.id, {
						closedAt: new Date(decision.atMs),
						detail: { ...incident.detail, closedReason: decision.reason }
					});
					published.push({ kind: 'close', id: incident.id, target, reason: decision.reason });
					openCount--;
				}
			}
		});
		const change = new ChangeBuilder();
		for (const p of published) {
			if (p.kind === 'upsert') {
				change.alert(p.alert);
				log.warn({ alert: p.alert.id, summary: p.alert.summary }, 'health incident');
			} else {
				change.alertClosed(p.id);
				log.info({ alert: p.id, target: p.target, reason: p.reason }, 'health incident closed');
			}
		}
		const taken = change.take();
		if (taken) this.deps.publish(taken);
		this.deps.onPass?.(openCount);
	}
}
