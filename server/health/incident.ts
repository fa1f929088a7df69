import type { HealthStatus } from '../../src/lib/shared/live';
import type { IncidentThresholds } from '../../src/lib/server/health/control';
import type { IncidentSeverity } from '../../src/lib/shared/health';

/** When a health incident opens and closes (configuration: HEALTH_INCIDENT_*, HEALTH_ERROR_*). */
export type IncidentRule = IncidentThresholds;

export interface RuleSample {
	atMs: number;
	status: HealthStatus;
	/** The sample's own words (HTTP 500, timeout after 5000 ms, …). */
	detail?: string | null;
	latencyMs?: number | null;
}

export type IncidentDecision =
	| { kind: 'none' }
	| { kind: 'open'; atMs: number; sinceMs: number; severity: IncidentSeverity; reason: string }
	| { kind: 'escalate'; severity: IncidentSeverity; reason: string }
	| { kind: 'close'; atMs: number; reason: string };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Decide what happens to a target's incident given its samples (oldest first) and the
 * incident open now, if any. Pure: the clock is `nowMs`.
 *
 * Opens when the last `openAfter` samples were all degraded or down, or when at least
 * `errorRate` of the samples in the window failed (with at least `errorMinSamples` of them); the
 * opening time is the sample at which the condition first held. Closes once `closeAfter`
 * samples in a row were up and the error rate is back below the threshold, so a target that
 * flaps does not open and close an incident every minute.
 */
export function decideIncident(
	samples: readonly RuleSample[],
	open: { severity: IncidentSeverity } | null,
	rule: IncidentRule,
	nowMs: number
): IncidentDecision {
	// Samples from the future (a sender's clock ahead of ours) wait until their time comes.
	const known = samples.filter((s) => s.status !== 'unknown' && s.atMs <= nowMs);
	if (known.length === 0) return { kind: 'none' };

	// The run of not-up samples at the end, and the run of up samples at the end.
	let badFrom = known.length;
	while (badFrom > 0 && known[badFrom - 1].status !== 'up') badFrom--;
	let goodFrom = known.length;
	while (goodFrom > 0 && known[goodFrom - 1].status === 'up') goodFrom--;
	const badRun = known.length - badFrom;
	const goodRun = known.length - goodFrom;

	/** The failed share of the samples in the window that ends with sample `end`. */
	const errorRateAt = (end: number) => {
		const endMs = known[end].atMs;
		let count = 0;
		let failures = 0;
		for (let i = end; i >= 0 && known[i].atMs > endMs - rule.errorWindowMs; i--) {
			count++;
			if (known[i].status === 'down') failures++;
		}
		const rate = count === 0 ? 0 : failures / count;
		return {
			rate,
			failures,
			count,
			breached: count >= rule.errorMinSamples && rate >= rule.errorRate
		};
	};
	const last = known.length - 1;
	const now = errorRateAt(last);
	/** The first sample from `from` on at which the error rate is no longer breached. */
	const firstClear = (from: number) => {
		for (let i = Math.max(0, from); i <= last; i++) if (!errorRateAt(i).breached) return i;
		return last;
	};

	const bad = known.slice(badFrom);
	const runSeverity: IncidentSeverity = bad.some((s) => s.status === 'down') ? 'down' : 'degraded';
	const latest = known[known.length - 1];
	const describeRun = () => {
		const word = runSeverity === 'down' ? 'failed checks' : 'slow answers';
		const what =
			runSeverity === 'down'
				? (latest.detail ?? 'no answer')
				: latest.latencyMs != null
					? `latest ${seconds(latest.latencyMs)}`
					: 'slow';
		return `${badRun} ${word} in a row (${what})`;
	};
	const describeRate = () =>
		`${Math.round(now.rate * 100)}% of checks failed in ${Math.round(rule.errorWindowMs / 60_000)} min (${now.failures} of ${now.count})`;

	if (!open) {
		if (badRun >= rule.openAfter) {
			return {
				kind: 'open',
				atMs: known[badFrom + rule.openAfter - 1].atMs,
				sinceMs: known[badFrom].atMs,
				severity: runSeverity,
				reason: describeRun()
			};
		}
		if (now.breached) {
			// The start of the current breach: where the rate last went over the threshold.
			let at = last;
			while (at > 0 && errorRateAt(at - 1).breached) at--;
			let since = at;
			while (since > 0 && known[since - 1].atMs > known[at].atMs - rule.errorWindowMs) since--;
			while (known[since].status !== 'down') since++;
			return {
				kind: 'open',
				atMs: known[at].atMs,
				sinceMs: known[since].atMs,
				severity: 'down',
				reason: describeRate()
			};
		}
		return { kind: 'none' };
	}

	if (goodRun >= rule.closeAfter && !now.breached) {
		return {
			kind: 'close',
			atMs: known[firstClear(goodFrom + rule.closeAfter - 1)].atMs,
			reason: `${goodRun} good checks in a row`
		};
	}
	// Only a worse state changes an open incident: degraded → down.
	if (open.severity === 'degraded') {
		if (badRun > 0 && runSeverity === 'down')
			return { kind: 'escalate', severity: 'down', reason: describeRun() };
		if (now.breached) return { kind: 'escalate', severity: 'down', reason: describeRate() };
	}
	return { kind: 'none' };
}
