import { localParts, offsetMinutes } from '$lib/shared/time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Tick spacing for a window: about six ticks, on round local times. */
export function tickStep(spanMs: number): number {
	for (const step of [
		5 * MINUTE,
		10 * MINUTE,
		15 * MINUTE,
		30 * MINUTE,
		HOUR,
		2 * HOUR,
		3 * HOUR,
		4 * HOUR,
		6 * HOUR
	])
		if (spanMs / step <= 7) return step;
	return 12 * HOUR;
}

/**
 * Ticks on round wall-clock times of the state's zone within [fromMs, toMs] (IST is
 * UTC+5:30, so round UTC hours would be half past in Kolkata).
 */
export function timeTicks(fromMs: number, toMs: number, timeZone: string): number[] {
	const step = tickStep(toMs - fromMs);
	const offset = offsetMinutes(new Date(fromMs), timeZone) * MINUTE;
	// Round in local wall-clock time, then back to instants.
	let local = Math.ceil((fromMs + offset) / step) * step;
	const ticks: number[] = [];
	for (; local - offset <= toMs; local += step) {
		const at = local - offset;
		// On a DST change the wall clock jumps: keep only ticks that land on a round time.
		const p = localParts(new Date(at), timeZone);
		if (step < HOUR ? p.minute % (step / MINUTE) === 0 : p.minute === 0) ticks.push(at);
	}
	return ticks;
}

/** Position of an instant across [fromMs, toMs], in percent, clamped. */
export function percentAt(ms: number, fromMs: number, toMs: number): number {
	return Math.min(100, Math.max(0, ((ms - fromMs) / (toMs - fromMs)) * 100));
}
