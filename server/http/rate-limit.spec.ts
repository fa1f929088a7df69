import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

const SECOND = 1000;

describe('RateLimiter', () => {
	it('allows a minute’s worth at once, then refuses with the wait until the next request', () => {
		const limiter = new RateLimiter(60);
		for (let i = 0; i < 60; i++) expect(limiter.take('a', 0).ok, `request ${i}`).toBe(true);
		expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
		// One request per second comes back.
		expect(limiter.take('a', SECOND).ok).toBe(true);
		expect(limiter.take('a', SECOND).ok).toBe(false);
	});

	it('keeps keys apart', () => {
		const limiter = new RateLimiter(2);
		expect(limiter.take('a', 0).ok).toBe(true);
		expect(limiter.take('a', 0).ok).toBe(true);
		expect(limiter.take('a', 0).ok).toBe(false);
		expect(limiter.take('b', 0).ok).toBe(true);
	});

	it('rounds Retry-After up to whole seconds', () => {
		const limiter = new RateLimiter(2); // one request per 30 s
		limiter.take('a', 0);
		limiter.take('a', 0);
		expect(limiter.take('a', 0).retryAfterSeconds).toBe(30);
		expect(limiter.take('a', 10 * SECOND).retryAfterSeconds).toBe(20);
		expect(limiter.take('a', 29_500).retryAfterSeconds).toBe(1);
		expect(limiter.take('a', 30 * SECOND).ok).toBe(true);
	});

	it('never refills beyond a minute’s worth', () => {
		const limiter = new RateLimiter(3);
		limiter.take('a', 0);
		for (let i = 0; i < 3; i++) expect(limiter.take('a', 3600 * SECOND).ok).toBe(true);
		expect(limiter.take('a', 3600 * SECOND).ok).toBe(false);
	});

	it('allows everything when the limit is 0', () => {
		const limiter = new RateLimiter(0);
		for (let i = 0; i < 1000; i++) expect(limiter.take('a', 0).ok).toBe(true);
		expect(limiter.size).toBe(0);
	});

	it('drops idle buckets once it holds many keys', () => {
		const limiter = new RateLimiter(60, 2);
		limiter.take('a', 0);
		limiter.take('b', 0);
		// A minute later both have refilled: adding a third sweeps them.
		limiter.take('c', 60 * SECOND);
		expect(limiter.size).toBe(1);
	});
});
