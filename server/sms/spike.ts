/**
 * When a district's SMS are failing: the `sms_failure_spike` rule as a plain function of
 * the last window's outcomes and the alerts already open (the clock is the caller's).
 */
import type { RecentDistrictOutcomes } from '../../src/lib/server/db/queries/sms-ops';
import { callReasonLabels, type CallReason } from '../../src/lib/shared/sms';

export const SMS_FAILURE_SPIKE = 'sms_failure_spike';

/** The window the rate is taken over. */
export const SPIKE_WINDOW_MS = 10 * 60_000;

export interface SpikeRule {
	/** Share of messages failed or without report (0–1] that opens an alert. */
	threshold: number;
	/** Messages with an outcome the window must hold before its rate counts. */
	minMessages: number;
}

export interface OpenSpike {
	id: string;
	districtCode: string;
	/** The rate its summary states (to tell whether the summary is out of date). */
	rate: number;
}

export interface SpikeReading {
	districtCode: string;
	failed: number;
	noReport: number;
	total: number;
	rate: number;
	topReason: string | null;
}

export interface SpikePlan {
	open: SpikeReading[];
	/**
	 * Open alerts whose rate moved by 5 points or more (over enough messages to tell): their
	 * summary is brought up to date.
	 */
	update: { id: string; reading: SpikeReading }[];
	close: { id: string; districtCode: string; reason: string }[];
}

export function reading(r: RecentDistrictOutcomes): SpikeReading {
	const bad = r.failed + r.noReport;
	const total = r.delivered + bad;
	return {
		districtCode: r.districtCode,
		failed: r.failed,
		noReport: r.noReport,
		total,
		rate: total > 0 ? bad / total : 0,
		topReason: r.topReason
	};
}

/**
 * Open when a district's window has at least `minMessages` outcomes and its failure rate
 * reaches the threshold. Close when the rate falls below half the threshold with enough
 * messages to tell, or when nothing at all happened in the window (nothing is failing now):
 * the gap between the two thresholds keeps an alert from flapping.
 */
export function planSpikes(
	recent: RecentDistrictOutcomes[],
	open: OpenSpike[],
	rule: SpikeRule
): SpikePlan {
	const byDistrict = new Map(recent.map((r) => [r.districtCode, reading(r)]));
	const openBy = new Map(open.map((o) => [o.districtCode, o]));
	const plan: SpikePlan = { open: [], update: [], close: [] };
	for (const r of byDistrict.values()) {
		if (openBy.has(r.districtCode)) continue;
		if (r.total >= rule.minMessages && r.rate >= rule.threshold) plan.open.push(r);
	}
	for (const o of open) {
		const r = byDistrict.get(o.districtCode);
		if (!r || r.total === 0) {
			plan.close.push({
				id: o.id,
				districtCode: o.districtCode,
				reason: 'no messages in the last 10 minutes'
			});
		} else if (r.total >= rule.minMessages && r.rate < rule.threshold / 2) {
			plan.close.push({
				id: o.id,
				districtCode: o.districtCode,
				reason: `failure rate down to ${percent(r.rate)} of ${r.total} messages`
			});
		} else if (r.total >= rule.minMessages && Math.abs(r.rate - o.rate) >= 0.05) {
			plan.update.push({ id: o.id, reading: r });
		}
	}
	plan.open.sort((a, b) => (a.districtCode < b.districtCode ? -1 : 1));
	return plan;
}

export function percent(rate: number): string {
	return `${Math.round(rate * 100)}%`;
}

/** "SMS failing in Pune: 42% of 380 messages in the last 10 minutes (mostly No report)". */
export function spikeSummary(districtName: string, r: SpikeReading): string {
	const reason =
		r.topReason && r.topReason in callReasonLabels
			? ` (mostly ${callReasonLabels[r.topReason as CallReason]})`
			: '';
	return `SMS failing in ${districtName}: ${percent(r.rate)} of ${r.total} messages in the last 10 minutes${reason}`;
}
