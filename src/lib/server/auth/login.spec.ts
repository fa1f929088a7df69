import { describe, expect, it } from 'vitest';
import { describeSignInFailure, FailureLimiter, safeNextPath } from './login';

const MIN = 60 * 1000;
const t0 = new Date('2025-01-16T04:30:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('FailureLimiter', () => {
	it('allows attempts until the limit is reached within the window', () => {
		const limiter = new FailureLimiter(3, 10 * MIN);
		for (let i = 0; i < 3; i++) {
			expect(limiter.retryAfterMs('10.0.0.1', at(i * MIN))).toBe(0);
			limiter.record('10.0.0.1', at(i * MIN));
		}
		// The oldest of the last three failures leaves the window at 10 min.
		expect(limiter.retryAfterMs('10.0.0.1', at(3 * MIN))).toBe(7 * MIN);
		expect(limiter.retryAfterMs('10.0.0.2', at(3 * MIN))).toBe(0);
	});

	it('slides: old failures stop counting', () => {
		const limiter = new FailureLimiter(2, 10 * MIN);
		limiter.record('ip', at(0));
		limiter.record('ip', at(5 * MIN));
		expect(limiter.retryAfterMs('ip', at(9 * MIN))).toBe(MIN);
		expect(limiter.retryAfterMs('ip', at(10 * MIN))).toBe(0);
		limiter.record('ip', at(10 * MIN));
		expect(limiter.retryAfterMs('ip', at(11 * MIN))).toBe(4 * MIN);
	});

	it('sweeps addresses whose failures have all expired', () => {
		const limiter = new FailureLimiter(5, MIN, 2);
		limiter.record('a', at(0));
		limiter.record('b', at(0));
		limiter.record('c', at(2 * MIN));
		limiter.record('d', at(2 * MIN));
		expect(limiter.size).toBe(2);
	});
});

describe('describeSignInFailure', () => {
	it('says until when an account is locked, in the given time zone', () => {
		const text = describeSignInFailure(
			{ ok: false, reason: 'locked', lockedUntil: new Date('2025-01-16T09:02:00Z') },
			'Asia/Kolkata'
		);
		expect(text).toMatch(/locked until 2:32\s?pm IST/i);
	});

	it('gives one answer for every wrong-credentials case', () => {
		expect(describeSignInFailure({ ok: false, reason: 'invalid' }, 'Asia/Kolkata')).toBe(
			'Wrong username or password.'
		);
	});

	it('rounds the wait up to whole minutes', () => {
		expect(
			describeSignInFailure({ ok: false, reason: 'rate_limited', retryAfterSeconds: 61 }, 'UTC')
		).toMatch(/in 2 minutes/);
	});
});

describe('safeNextPath', () => {
	const origin = 'http://localhost:3000';

	it('keeps paths on this site', () => {
		expect(safeNextPath('/districts/MH-PUN?tab=sms#map', origin)).toBe(
			'/districts/MH-PUN?tab=sms#map'
		);
		expect(safeNextPath('/', origin)).toBe('/');
	});

	it('falls back to the overview for anything that could leave the site', () => {
		for (const next of [
			null,
			'',
			'https://evil.example/',
			'//evil.example/x',
			'/\\evil.example',
			'/\t/evil.example',
			'javascript:alert(1)',
			'evil.example',
			'/login?next=/x',
			'/logout'
		]) {
			expect(safeNextPath(next, origin), String(next)).toBe('/');
		}
	});
});
