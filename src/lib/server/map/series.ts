/**
 * The drill-down's figures, as plain functions of what the database holds and the clock:
 * planned capacity per bucket, a site's status through the day (by the same rule as the
 * live state), SMS outcomes and the decision timeline.
 */
import type { SiteStatus } from '../../shared/live';
import type { SmsOutcome, StatusSpan, TimelineEvent } from '../../shared/map';
import { deriveSiteStatus, type StallThresholds } from '../../shared/status';
import { zonedTime } from '../../shared/time';
import type {
	ModeSwitchRow,
	PlannedSession,
	SmsOutcomeRow,
	TimelineAlertRow
} from '../db/queries/throughput';

const MINUTE = 60_000;

/** Session hours when a plan gives none: the live state's default (server/live/state.ts). */
export const DEFAULT_SESSION_HOURS = { start: '09:00', end: '17:00' } as const;

export interface SessionWindow {
	startsMs: number;
	endsMs: number;
	capacity: number;
}

export function sessionWindows(
	sessions: PlannedSession[],
	date: string,
	timeZone: string
): SessionWindow[] {
	return sessions.map((s) => ({
		startsMs: (s.startsAt ?? zonedTime(date, DEFAULT_SESSION_HOURS.start, timeZone)).getTime(),
		endsMs: (s.endsAt ?? zonedTime(date, DEFAULT_SESSION_HOURS.end, timeZone)).getTime(),
		capacity: s.capacity
	}));
}

/**
 * Planned doses per bucket: each session's capacity spread evenly over its window, and
 * each bucket given the share of the window it overlaps. Rounded to one decimal.
 */
export function planPerBucket(
	windows: SessionWindow[],
	params: { fromMs: number; bucketMs: number; buckets: number }
): number[] {
	const plan = new Array<number>(params.buckets).fill(0);
	for (const w of windows) {
		const length = w.endsMs - w.startsMs;
		if (length <= 0 || w.capacity <= 0) continue;
		const perMs = w.capacity / length;
		const first = Math.max(0, Math.floor((w.startsMs - params.fromMs) / params.bucketMs));
		const last = Math.min(
			params.buckets - 1,
			Math.floor((w.endsMs - 1 - params.fromMs) / params.bucketMs)
		);
		for (let b = first; b <= last; b++) {
			const start = params.fromMs + b * params.bucketMs;
			const overlap = Math.min(w.endsMs, start + params.bucketMs) - Math.max(w.startsMs, start);
			if (overlap > 0) plan[b] += overlap * perMs;
		}
	}
	return plan.map((p) => Math.round(p * 10) / 10);
}

export interface StatusFacts {
	windows: SessionWindow[];
	/** Completed doses, epoch ms ascending. */
	doses: number[];
	/** Heartbeats, epoch ms ascending, and the last one before the day. */
	heartbeats: number[];
	heartbeatBefore: number | null;
	/** Mode switches in the day, oldest first, and the mode now. */
	switches: { atMs: number; to: 'online' | 'manual' }[];
	modeNow: 'online' | 'manual';
}

/** The last value ≤ t in an ascending list, walking a cursor forward. */
function cursor(times: number[], initial: number | null) {
	let i = 0;
	let last = initial;
	return (t: number) => {
		while (i < times.length && times[i] <= t) last = times[i++];
		return last;
	};
}

/**
 * A site's status from `fromMs` to `toMs`, minute by minute, by the rule the live state
 * applies (shared/status.ts), merged into spans. The mode before the day's first switch
 * is the opposite of what that switch set.
 */
export function statusHistory(
	facts: StatusFacts,
	params: { fromMs: number; toMs: number; thresholds: StallThresholds; stepMs?: number }
): StatusSpan[] {
	const step = params.stepMs ?? MINUTE;
	const first = facts.switches[0];
	let mode: 'online' | 'manual' = first
		? first.to === 'manual'
			? 'online'
			: 'manual'
		: facts.modeNow;
	let s = 0;
	const lastDose = cursor(facts.doses, null);
	const lastBeat = cursor(facts.heartbeats, facts.heartbeatBefore);
	const spans: StatusSpan[] = [];
	let current: { from: number; status: SiteStatus; cause: string | null } | null = null;

	// Every minute, and the instants a status can change at: a dose, a switch, a session
	// opening or closing, and the ends of the grace and stall windows after them.
	const stallMs = params.thresholds.stallMinutes * MINUTE;
	const graceMs = params.thresholds.startupGraceMinutes * MINUTE;
	const instants: number[] = [params.toMs];
	for (let t = params.fromMs; t < params.toMs; t += step) instants.push(t);
	for (const d of facts.doses) instants.push(d, d + stallMs + 1);
	for (const w of facts.switches) instants.push(w.atMs);
	for (const w of facts.windows) instants.push(w.startsMs, w.startsMs + graceMs, w.endsMs);
	const times = [...new Set(instants)]
		.filter((t) => t >= params.fromMs && t <= params.toMs)
		.sort((a, b) => a - b);

	for (const t of times) {
		while (s < facts.switches.length && facts.switches[s].atMs <= t) mode = facts.switches[s++].to;
		let openSince: number | null = null;
		for (const w of facts.windows) {
			if (w.startsMs <= t && t < w.endsMs)
				openSince = openSince === null ? w.startsMs : Math.min(openSince, w.startsMs);
		}
		const dose = lastDose(t);
		const beat = lastBeat(t);
		const derived = deriveSiteStatus(
			{
				mode,
				openSince: openSince === null ? null : new Date(openSince),
				lastDoseAt: dose === null ? null : new Date(dose),
				lastHeartbeatAt: beat === null ? null : new Date(beat)
			},
			new Date(t),
			params.thresholds
		);
		if (!current || current.status !== derived.status) {
			if (current) spans.push(span(current, t));
			current = { from: t, status: derived.status, cause: derived.cause };
		}
	}
	if (current) spans.push(span(current, params.toMs));
	return spans.filter((x) => x.from !== x.to || spans.length === 1);
}

function span(
	c: { from: number; status: SiteStatus; cause: string | null },
	to: number
): StatusSpan {
	return {
		from: new Date(c.from).toISOString(),
		to: new Date(to).toISOString(),
		status: c.status,
		cause: c.cause
	};
}

const FAILED = new Set(['failed', 'undelivered', 'expired', 'rejected']);

export function smsOutcome(rows: SmsOutcomeRow[]): SmsOutcome {
	const out: SmsOutcome = { sent: 0, delivered: 0, pending: 0, failed: 0, failedBy: {} };
	for (const r of rows) {
		out.sent += r.messages;
		if (r.status === 'delivered') out.delivered += r.messages;
		else if (FAILED.has(r.status)) {
			out.failed += r.messages;
			const group = r.reasonGroup ?? 'unknown';
			out.failedBy[group] = (out.failedBy[group] ?? 0) + r.messages;
		} else out.pending += r.messages;
	}
	return out;
}

/** Who or what raised an alert of this kind, in words. */
const detectorOf: Record<string, string> = {
	site_stalled: 'stall detector',
	stall_group: 'stall detector',
	sms_failure_spike: 'SMS failure detector',
	complaint_spike: 'complaint detector',
	health_incident: 'health monitor'
};

const kindTitle: Record<string, string> = {
	site_stalled: 'Site stalled',
	stall_group: 'Sites stalled together',
	sms_failure_spike: 'SMS failures spiked',
	complaint_spike: 'Complaints spiked'
};

/** Mode switches and alerts as one timeline, oldest first. */
export function timelineEvents(
	switches: ModeSwitchRow[],
	alerts: TimelineAlertRow[]
): TimelineEvent[] {
	const events: TimelineEvent[] = [
		...switches.map((s): TimelineEvent => ({
			at: s.at.toISOString(),
			endedAt: null,
			kind: s.to === 'online' ? 'online' : 'manual',
			title: s.to === 'online' ? 'Back online' : 'Switched to manual',
			by: s.actor,
			siteCode: s.siteCode,
			siteName: s.siteName,
			detail: s.reason
		})),
		...alerts.map((a): TimelineEvent => ({
			at: a.openedAt.toISOString(),
			endedAt: a.closedAt?.toISOString() ?? null,
			kind: a.kind === 'health_incident' ? 'health' : 'alert',
			title:
				a.kind === 'health_incident'
					? `${a.target ?? 'service'} incident`
					: (kindTitle[a.kind] ?? a.kind.replace(/_/g, ' ')),
			by:
				a.kind === 'health_incident' && a.target
					? `${a.target} (health monitor)`
					: (detectorOf[a.kind] ?? 'detector'),
			siteCode: a.siteCode,
			siteName: a.siteName,
			detail: a.summary
		}))
	];
	return events.sort((a, b) => a.at.localeCompare(b.at));
}
