/** Time as the health monitor sees it: injectable, so tests can pin it. */
export interface Clock {
	/** Wall-clock time, epoch ms (sample times). */
	now(): number;
	/** A monotonic reading in ms (latency); never goes back when the wall clock is set. */
	monotonic(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	monotonic: () => performance.now(),
	setTimeout: (run, ms) => setTimeout(run, ms),
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
};
