import type { HealthSampleRecord } from '../../src/lib/shared/feeds';
import type { HealthLive } from '../../src/lib/shared/live';

/** Latency above which an answering target counts as degraded, in milliseconds. */
export const DEGRADED_LATENCY_MS = 2000;

/** A target's status from its latest sample. */
export function healthFromSample(s: HealthSampleRecord): HealthLive {
	const status = !s.ok ? 'down' : (s.latencyMs ?? 0) > DEGRADED_LATENCY_MS ? 'degraded' : 'up';
	return { target: s.target, status, latencyMs: s.latencyMs, at: s.at.toISOString() };
}
