/**
 * Token buckets in memory, one per key (a credential, or a client address without one).
 * Each bucket holds up to a minute's allowance and refills continuously, so a sender may
 * burst and then keeps a steady rate. One process, one set of buckets: behind a load
 * balancer each node limits on its own, which is a ceiling of N times the setting.
 */
export interface RateDecision {
	ok: boolean;
	/** Whole seconds until one request will be allowed again (0 when ok). */
	retryAfterSeconds: number;
}

interface Bucket {
	tokens: number;
	at: number;
}

export class RateLimiter {
	readonly #buckets = new Map<string, Bucket>();
	readonly #perMs: number;

	constructor(
		/** Requests per minute per key; 0 allows everything. */
		readonly perMinute: number,
		/** Above this many keys, full (idle) buckets are dropped so the map stays bounded. */
		readonly sweepAbove = 10_000
	) {
		this.#perMs = perMinute / 60_000;
	}

	/** Take one request from `key`'s bucket at time `now` (ms). */
	take(key: string, now: number): RateDecision {
		if (this.perMinute === 0) return { ok: true, retryAfterSeconds: 0 };
		const bucket = this.#refill(key, now);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return { ok: true, retryAfterSeconds: 0 };
		}
		return {
			ok: false,
			retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000))
		};
	}

	get size(): number {
		return this.#buckets.size;
	}

	#refill(key: string, now: number): Bucket {
		let bucket = this.#buckets.get(key);
		if (!bucket) {
			if (this.#buckets.size >= this.sweepAbove) this.#sweep(now);
			bucket = { tokens: this.perMinute, at: now };
			this.#buckets.set(key, bucket);
			return bucket;
		}
		const elapsed = Math.max(0, now - bucket.at);
		bucket.tokens = Math.min(this.perMinute, bucket.tokens + elapsed * this.#perMs);
		bucket.at = now;
		return bucket;
	}

	/** A bucket that has refilled completely is the same as no bucket. */
	#sweep(now: number): void {
		for (const [key, bucket] of this.#buckets) {
			if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.perMinute)
				this.#buckets.delete(key);
		}
	}
}
