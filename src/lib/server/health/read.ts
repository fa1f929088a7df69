/**
 * What the health panel, the field status page and the health API read: one place, so the
 * pages and GET /api/v1/health/* always agree.
 */
import type { Db } from '../db/client';
import {
	alertsOverlapping,
	healthSamplesBetween,
	latestSampleByTarget,
	listProbeTargets,
	listStatusNotices,
	openHealthIncidents,
	type IncidentRow
} from '../db/queries/health';
import {
	buildTimeline,
	DEGRADED_LATENCY_MS,
	latencySeries,
	sampleStats,
	sampleStatus,
	targetLabel,
	worstStatus,
	type HealthSummary,
	type HealthTargetSummary,
	type IncidentSeverity,
	type SampleView,
	type StatusComponent,
	type Timeline,
	type TimelineAlert
} from '../../shared/health';
import type { HealthStatus } from '../../shared/live';

const MINUTE = 60_000;

/** The component on the status page that is this product itself. */
export const SELF_COMPONENT = 'command-centre';

/** Usual targets first, in the order an officer reads them; then the rest by name. */
const targetOrder = ['national-server', 'otp-service', 'sms-gateway', 'command-centre'];
const byTargetOrder = (a: string, b: string) => {
	const ia = targetOrder.indexOf(a);
	const ib = targetOrder.indexOf(b);
	if (ia !== ib) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
	return a.localeCompare(b);
};

/** Buckets for a window: one a minute for the last hour, wider for longer windows (≤ 60 points). */
export function bucketFor(minutes: number): number {
	return Math.max(1, Math.ceil(minutes / 60)) * MINUTE;
}

function incidentsByTarget(rows: IncidentRow[]): Map<string, IncidentRow> {
	const map = new Map<string, IncidentRow>();
	for (const row of rows) {
		const target = row.detail?.target;
		if (!target) continue;
		const held = map.get(target);
		if (!held || row.openedAt < held.openedAt) map.set(target, row);
	}
	return map;
}

/** Per target: the latest status, p50/p95 and error rate over the window, and a series. */
export async function readHealthSummary(
	db: Db,
	params: { now: Date; minutes: number; target?: string }
): Promise<HealthSummary> {
	const nowMs = params.now.getTime();
	const bucketMs = bucketFor(params.minutes);
	// Whole buckets, the last one still filling; the window's own figures cover exactly
	// the last `minutes`.
	const toMs = Math.floor(nowMs / bucketMs) * bucketMs + bucketMs;
	const fromMs = toMs - Math.ceil((params.minutes * MINUTE) / bucketMs) * bucketMs;
	const windowFromMs = nowMs - params.minutes * MINUTE;
	const [samples, latest, probes, incidents] = await Promise.all([
		healthSamplesBetween(db, {
			from: new Date(Math.min(fromMs, windowFromMs)),
			to: new Date(toMs),
			targets: params.target ? [params.target] : undefined
		}),
		latestSampleByTarget(db),
		listProbeTargets(db),
		openHealthIncidents(db)
	]);
	const open = incidentsByTarget(incidents);
	const byTarget = new Map<string, SampleView[]>();
	for (const s of samples) {
		let list = byTarget.get(s.target);
		if (!list) byTarget.set(s.target, (list = []));
		list.push(s);
	}
	const latestOf = new Map(latest.map((s) => [s.target, s]));
	const probeOf = new Map(probes.map((p) => [p.target, p]));
	const names = new Set([...latestOf.keys(), ...probeOf.keys(), ...open.keys()]);
	const targets: HealthTargetSummary[] = [];
	for (const target of [...names].sort(byTargetOrder)) {
		if (params.target && target !== params.target) continue;
		const last = latestOf.get(target);
		const probe = probeOf.get(target);
		const incident = open.get(target);
		const list = byTarget.get(target) ?? [];
		targets.push({
			target,
			label: targetLabel(target),
			status: last ? sampleStatus(last.ok, last.latencyMs) : 'unknown',
			latencyMs: last?.latencyMs ?? null,
			at: last ? new Date(last.atMs).toISOString() : null,
			detail: last?.detail ?? null,
			probe: probe
				? { url: probe.url, intervalSeconds: probe.intervalSeconds, enabled: probe.enabled }
				: null,
			window: {
				minutes: params.minutes,
				...sampleStats(list.filter((s) => s.atMs > windowFromMs && s.atMs <= nowMs))
			},
			series: latencySeries(list, { fromMs, toMs, bucketMs }),
			incident: incident
				? {
						id: incident.id,
						severity: incident.detail.severity,
						openedAt: incident.openedAt.toISOString(),
						summary: incident.summary
					}
				: null
		});
	}
	return {
		at: params.now.toISOString(),
		minutes: params.minutes,
		bucketMs,
		degradedMs: DEGRADED_LATENCY_MS,
		targets
	};
}

/** Alerts of every kind over the last `hours`, as lanes, and as a list for reading. */
export async function readTimeline(
	db: Db,
	params: { now: Date; hours: number; limit?: number; districts?: readonly string[] }
): Promise<Timeline & { alerts: TimelineAlert[] }> {
	const toMs = params.now.getTime();
	const fromMs = toMs - params.hours * 60 * MINUTE;
	const rows = await alertsOverlapping(db, {
		from: new Date(fromMs),
		to: params.now,
		limit: params.limit ?? 5000
	});
	// A district officer sees state-wide alerts and its own districts' ones.
	const visible = params.districts
		? rows.filter((r) => !r.districtCode || params.districts!.includes(r.districtCode))
		: rows;
	const list: TimelineAlert[] = visible.map((r) => ({
		id: r.id,
		kind: r.kind,
		status: r.status,
		openedAt: r.openedAt.toISOString(),
		closedAt: r.closedAt ? r.closedAt.toISOString() : null,
		districtCode: r.districtCode,
		siteCode: r.siteCode,
		summary: r.summary,
		target: r.target,
		severity: r.severity === 'down' || r.severity === 'degraded' ? r.severity : null
	}));
	return { ...buildTimeline(list, { fromMs, toMs }), alerts: list };
}

const severityStatus = (s: IncidentSeverity): HealthStatus => s;

/**
 * The field status page: each component's status (an officer's override, else the worse of
 * its targets' latest sample and open incident) and what to do meanwhile.
 */
export async function readStatusPage(db: Db): Promise<StatusComponent[]> {
	const [notices, latest, incidents] = await Promise.all([
		listStatusNotices(db),
		latestSampleByTarget(db),
		openHealthIncidents(db)
	]);
	const latestOf = new Map(latest.map((s) => [s.target, s]));
	const open = incidentsByTarget(incidents);
	return notices.map((n) => {
		const statuses: HealthStatus[] = [];
		let checkedMs: number | null = null;
		let incidentMs: number | null = null;
		for (const target of n.targets) {
			const last = latestOf.get(target);
			if (last) {
				statuses.push(sampleStatus(last.ok, last.latencyMs));
				checkedMs = Math.max(checkedMs ?? 0, last.atMs);
			}
			const incident = open.get(target);
			if (incident) {
				statuses.push(severityStatus(incident.detail.severity));
				const at = incident.openedAt.getTime();
				incidentMs = incidentMs === null ? at : Math.min(incidentMs, at);
			}
		}
		let measured = worstStatus(statuses);
		// This page was just served by the product, so with nothing measured it is up.
		if (n.component === SELF_COMPONENT && measured === 'unknown') measured = 'up';
		return {
			component: n.component,
			label: n.label,
			status: n.override ?? measured,
			overridden: n.override !== null,
			instruction: n.instruction,
			message: n.message,
			targets: n.targets,
			checkedAt: checkedMs === null ? null : new Date(checkedMs).toISOString(),
			incidentSince: incidentMs === null ? null : new Date(incidentMs).toISOString(),
			updatedAt: n.updatedAt.toISOString(),
			updatedBy: n.updatedBy
		};
	});
}
