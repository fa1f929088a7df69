/**
 * Health of outside systems (national server, SMS and OTP gateways) and of this product:
 * the status rule, latency percentiles and the incident timeline, shared by the API, the
 * pages and the server's detectors so that every screen counts alike.
 */
import type { HealthStatus } from './live';

/** Latency above which an answering target counts as degraded, in milliseconds. */
export const DEGRADED_LATENCY_MS = 2000;

/** The alert kind of a health incident. */
export const HEALTH_INCIDENT = 'health_incident';

export type IncidentSeverity = 'degraded' | 'down';

/** A sample's status: down when it failed, degraded when it answered slowly, else up. */
export function sampleStatus(ok: boolean, latencyMs: number | null | undefined): HealthStatus {
	if (!ok) return 'down';
	return (latencyMs ?? 0) > DEGRADED_LATENCY_MS ? 'degraded' : 'up';
}

/** Worst first: what needs attention. */
export const healthRank: Record<HealthStatus, number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

/** The worse of statuses; `unknown` only when nothing else is known. */
export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
	let worst: HealthStatus | null = null;
	for (const s of statuses) {
		if (s === 'unknown') continue;
		if (worst === null || healthRank[s] < healthRank[worst]) worst = s;
	}
	return worst ?? 'unknown';
}

/** Plain names for the usual targets; anything else is shown as the probe calls it. */
const targetLabels: Record<string, string> = {
	'national-server': 'National server (CoWIN)',
	'sms-gateway': 'SMS gateway',
	'otp-service': 'OTP service',
	'command-centre': 'This command centre',
	'command-centre-database': "This command centre's database"
};

export function targetLabel(target: string): string {
	return targetLabels[target] ?? target;
}

/**
 * The p-quantile (0–1) of ascending values, interpolated linearly between the two nearest
 * ranks, as PostgreSQL's percentile_cont does (so raw and downsampled figures agree).
 */
export function percentile(sorted: readonly number[], p: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
	const lo = Math.floor(rank);
	const hi = Math.ceil(rank);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export interface SampleView {
	atMs: number;
	ok: boolean;
	latencyMs: number | null;
}

export interface SampleStats {
	samples: number;
	failures: number;
	/** Failed share of the samples, 0–1; null without samples. */
	errorRate: number | null;
	/** Latency percentiles over the samples that answered (failures have no latency). */
	p50Ms: number | null;
	p95Ms: number | null;
}

export function sampleStats(samples: readonly SampleView[]): SampleStats {
	const latencies: number[] = [];
	let failures = 0;
	for (const s of samples) {
		if (!s.ok) failures++;
		else if (s.latencyMs !== null) latencies.push(s.latencyMs);
	}
	latencies.sort((a, b) => a - b);
	const round = (v: number | null) => (v === null ? null : Math.round(v));
	return {
		samples: samples.length,
		failures,
		errorRate: samples.length === 0 ? null : failures / samples.length,
		p50Ms: round(percentile(latencies, 0.5)),
		p95Ms: round(percentile(latencies, 0.95))
	};
}

export interface SeriesPoint extends SampleStats {
	/** Start of the bucket, epoch ms. */
	atMs: number;
}

/** Stats per bucket of `bucketMs` over [fromMs, toMs); buckets without samples are kept (gaps). */
export function latencySeries(
	samples: readonly SampleView[],
	range: { fromMs: number; toMs: number; bucketMs: number }
): SeriesPoint[] {
	const { fromMs, toMs, bucketMs } = range;
	const count = Math.max(0, Math.ceil((toMs - fromMs) / bucketMs));
	const buckets: SampleView[][] = Array.from({ length: count }, () => []);
	for (const s of samples) {
		if (s.atMs < fromMs || s.atMs >= toMs) continue;
		buckets[Math.floor((s.atMs - fromMs) / bucketMs)].push(s);
	}
	return buckets.map((b, i) => ({ atMs: fromMs + i * bucketMs, ...sampleStats(b) }));
}

/** What the health panel shows per target. */
export interface HealthTargetSummary {
	target: string;
	label: string;
	status: HealthStatus;
	/** The latest sample. */
	latencyMs: number | null;
	at: string | null;
	detail: string | null;
	/** Checked by a built-in probe (else only pushed samples). */
	probe: { url: string; intervalSeconds: number; enabled: boolean } | null;
	window: SampleStats & { minutes: number };
	series: SeriesPoint[];
	incident: { id: string; severity: IncidentSeverity; openedAt: string; summary: string } | null;
}

export interface HealthSummary {
	at: string;
	minutes: number;
	bucketMs: number;
	degradedMs: number;
	targets: HealthTargetSummary[];
}

// ---- incident timeline ----------------------------------------------------------------

export interface TimelineAlert {
	id: string;
	kind: string;
	status: 'open' | 'acknowledged' | 'resolved';
	openedAt: string;
	closedAt: string | null;
	districtCode: string | null;
	siteCode: string | null;
	summary: string;
	/** Health incidents: the target and how bad. */
	target: string | null;
	severity: IncidentSeverity | null;
}

export interface TimelineBar {
	id: string;
	fromMs: number;
	/** Null while still open. */
	toMs: number | null;
	severity: IncidentSeverity | null;
	summary: string;
}

export interface TimelineLane {
	key: string;
	label: string;
	/** Bars (incidents, spikes) or a count of alerts open over time (stalled sites). */
	bars: TimelineBar[];
	counts: { atMs: number; open: number }[] | null;
}

export interface Timeline {
	fromMs: number;
	toMs: number;
	lanes: TimelineLane[];
}

const laneOrder = ['health', 'sms_failure_spike', 'site_stalled', 'other'] as const;

const laneLabels: Record<string, string> = {
	sms_failure_spike: 'SMS failure spikes',
	site_stalled: 'Stalled sites',
	complaint_spike: 'Complaint spikes'
};

function laneOf(alert: TimelineAlert): { key: string; label: string; group: string } {
	if (alert.kind === HEALTH_INCIDENT) {
		const target = alert.target ?? 'unknown';
		return { key: `health:${target}`, label: targetLabel(target), group: 'health' };
	}
	if (alert.kind === 'sms_failure_spike' || alert.kind === 'site_stalled')
		return { key: alert.kind, label: laneLabels[alert.kind], group: alert.kind };
	return { key: alert.kind, label: laneLabels[alert.kind] ?? alert.kind, group: 'other' };
}

/**
 * Lanes over [fromMs, toMs]: one per health target with incidents, then SMS failure spikes,
 * then stalled sites as a count (hundreds of sites would not fit as bars), then the rest, so
 * a cause and its effects line up on one time axis.
 */
export function buildTimeline(
	alerts: readonly TimelineAlert[],
	range: { fromMs: number; toMs: number }
): Timeline {
	const lanes = new Map<
		string,
		{ key: string; label: string; group: string; bars: TimelineBar[]; events: [number, number][] }
	>();
	for (const a of alerts) {
		const fromMs = Date.parse(a.openedAt);
		const toMs = a.closedAt ? Date.parse(a.closedAt) : null;
		if (fromMs > range.toMs || (toMs !== null && toMs < range.fromMs)) continue;
		const { key, label, group } = laneOf(a);
		let lane = lanes.get(key);
		if (!lane) {
			lane = { key, label, group, bars: [], events: [] };
			lanes.set(key, lane);
		}
		if (group === 'site_stalled') {
			lane.events.push([fromMs, +1]);
			if (toMs !== null) lane.events.push([toMs, -1]);
		} else {
			lane.bars.push({ id: a.id, fromMs, toMs, severity: a.severity, summary: a.summary });
		}
	}
	const rank = (group: string) => laneOrder.indexOf(group as (typeof laneOrder)[number]);
	const sorted = [...lanes.values()].sort(
		(a, b) => rank(a.group) - rank(b.group) || a.label.localeCompare(b.label)
	);
	const result: TimelineLane[] = sorted.map((lane) => ({
		key: lane.key,
		label: lane.label,
		bars: lane.bars.sort((x, y) => x.fromMs - y.fromMs),
		counts: lane.group === 'site_stalled' ? openCounts(lane.events, range) : null
	}));
	return { fromMs: range.fromMs, toMs: range.toMs, lanes: result };
}

/** A step series of how many alerts were open, starting at range.fromMs. */
function openCounts(
	events: [number, number][],
	range: { fromMs: number; toMs: number }
): { atMs: number; open: number }[] {
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let open = 0;
	const points: { atMs: number; open: number }[] = [];
	for (const [atMs, change] of events) {
		open += change;
		const at = Math.max(atMs, range.fromMs);
		const last = points.at(-1);
		if (last && last.atMs === at) last.open = open;
		else points.push({ atMs: at, open });
	}
	if (points.length === 0 || points[0].atMs > range.fromMs)
		points.unshift({ atMs: range.fromMs, open: 0 });
	return points;
}

// ---- field status page ---------------------------------------------------------------

export interface StatusComponent {
	component: string;
	label: string;
	status: HealthStatus;
	/** True when an officer set the status by hand. */
	overridden: boolean;
	/** Shown while the component is degraded or down. */
	instruction: string;
	message: string | null;
	targets: string[];
	/** Latest sample among the component's targets. */
	checkedAt: string | null;
	/** Since when the current open incident runs, if one does. */
	incidentSince: string | null;
	updatedAt: string;
	updatedBy: string | null;
}
