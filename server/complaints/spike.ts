/**
 * The complaint spike rule: many complaints of one category from one district in a short
 * window become one `complaint_spike` alert for the officers. Pure: the clock is `nowMs`.
 */
import type { ComplaintCategory } from '../../src/lib/shared/complaint';

export interface SpikeRule {
	/** Complaints in the window that open a spike (COMPLAINT_SPIKE_COUNT). */
	count: number;
	/** The sliding window, in ms (COMPLAINT_SPIKE_MINUTES). */
	windowMs: number;
}

export interface SpikeComplaint {
	category: ComplaintCategory;
	districtCode: string;
	atMs: number;
}

/** A spike alert open now (open or acknowledged), with the count it last reported. */
export interface OpenSpike {
	id: string;
	category: ComplaintCategory;
	districtCode: string;
	count: number;
}

/** A spike alert closed earlier: complaints up to its closing were counted by it. */
export interface ClosedSpike {
	category: ComplaintCategory;
	districtCode: string;
	closedAtMs: number;
}

export type SpikeDecision =
	| {
			kind: 'open';
			category: ComplaintCategory;
			districtCode: string;
			count: number;
			/** When the count first reached the threshold. */
			atMs: number;
			firstAtMs: number;
			lastAtMs: number;
	  }
	| { kind: 'grow'; id: string; count: number; lastAtMs: number }
	| { kind: 'close'; id: string; count: number };

export const spikeKey = (category: string, districtCode: string) =>
	`${category}\u0000${districtCode}`;

/**
 * What to do about spikes now, per category and district:
 * - **open** when the window (nowMs − windowMs, nowMs] holds at least `count` complaints
 *   and no spike is open for them. Only complaints after the latest closed spike of the
 *   same category and district count, so one burst raises one alert, however long it lasts
 *   and whoever closed the alert.
 * - **grow** an open spike when the window holds more than it last reported (its peak).
 * - **close** an open spike once the window holds fewer than half the threshold: the burst
 *   is over, and a count hovering around the threshold does not open and close alerts.
 * Complaints dated after nowMs wait until their time comes.
 */
export function decideSpikes(
	complaints: readonly SpikeComplaint[],
	open: readonly OpenSpike[],
	closed: readonly ClosedSpike[],
	rule: SpikeRule,
	nowMs: number
): SpikeDecision[] {
	const since = new Map<string, number>();
	for (const c of closed) {
		const key = spikeKey(c.category, c.districtCode);
		since.set(key, Math.max(since.get(key) ?? -Infinity, c.closedAtMs));
	}
	const windowStart = nowMs - rule.windowMs;
	const inWindow = new Map<string, SpikeComplaint[]>();
	for (const c of complaints) {
		if (c.atMs <= windowStart || c.atMs > nowMs) continue;
		const key = spikeKey(c.category, c.districtCode);
		if (c.atMs <= (since.get(key) ?? -Infinity)) continue;
		let list = inWindow.get(key);
		if (!list) inWindow.set(key, (list = []));
		list.push(c);
	}

	const decisions: SpikeDecision[] = [];
	const openByKey = new Map(open.map((s) => [spikeKey(s.category, s.districtCode), s]));
	for (const [key, list] of inWindow) {
		if (openByKey.has(key) || list.length < rule.count) continue;
		const times = list.map((c) => c.atMs).sort((a, b) => a - b);
		decisions.push({
			kind: 'open',
			category: list[0].category,
			districtCode: list[0].districtCode,
			count: times.length,
			atMs: times[rule.count - 1],
			firstAtMs: times[0],
			lastAtMs: times[times.length - 1]
		});
	}
	const closeBelow = Math.ceil(rule.count / 2);
	for (const [key, spike] of openByKey) {
		const list = inWindow.get(key) ?? [];
		if (list.length < closeBelow) {
			decisions.push({ kind: 'close', id: spike.id, count: list.length });
		} else if (list.length > spike.count) {
			const lastAtMs = Math.max(...list.map((c) => c.atMs));
			decisions.push({ kind: 'grow', id: spike.id, count: list.length, lastAtMs });
		}
	}
	return decisions;
}
