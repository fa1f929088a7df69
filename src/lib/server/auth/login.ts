import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { appendAudit } from '../db/queries/audit';
import { findUserByUsername, recordLoginFailure, resetLoginFailures } from '../db/queries/user';
import { hashPassword, verifyPassword } from './password';
import { createUserSession, type SessionUser } from './session';

/** Consecutive wrong passwords for one username before it is locked. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;

/** Failed sign-ins per client address within a sliding window, whatever the username. */
export class FailureLimiter {
	readonly #failures = new Map<string, number[]>();

	constructor(
		readonly limit = 20,
		readonly windowMs = 10 * 60 * 1000,
		/** Above this many addresses, expired ones are swept so the map cannot grow without bound. */
		readonly sweepAbove = 10_000
	) {}

	/** 0 when a new attempt is allowed, else milliseconds until it will be. */
	retryAfterMs(key: string, now: Date): number {
		const recent = this.#recent(key, now);
		if (recent.length < this.limit) return 0;
		return recent[recent.length - this.limit] + this.windowMs - now.getTime();
	}

	/** How many addresses have failures on record (bounded by the sweep). */
	get size(): number {
		return this.#failures.size;
	}

	record(key: string, now: Date): void {
		const recent = this.#recent(key, now);
		recent.push(now.getTime());
		this.#failures.set(key, recent);
		if (this.#failures.size > this.sweepAbove) {
			for (const k of this.#failures.keys()) {
				if (this.#recent(k, now).length === 0) this.#failures.delete(k);
			}
		}
	}

	#recent(key: string, now: Date): number[] {
		const since = now.getTime() - this.windowMs;
		const times = (this.#failures.get(key) ?? []).filter((t) => t > since);
		if (times.length === 0) this.#failures.delete(key);
		return times;
	}
}

/** One limiter per process: sign-in is only served by the SvelteKit handler. */
const processLimiter = new FailureLimiter();

export interface SignInAttempt {
	username: string;
	password: string;
	ip: string | null;
	userAgent?: string | null;
	now?: Date;
}

export type SignInFailure =
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'locked'; lockedUntil: Date }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

export type SignInResult =
	| { ok: true; user: SessionUser; session: { cookieValue: string; expiresAt: Date } }
	| SignInFailure;

/** Verified against when the username is unknown, so that case costs as much as a real one. */
let dummyHash: Promise<string> | undefined;

export async function signIn(
	db: Db,
	attempt: SignInAttempt,
	limiter: FailureLimiter = processLimiter
): Promise<SignInResult> {
	const now = attempt.now ?? new Date();
	const username = attempt.username.trim().toLowerCase().slice(0, 128);
	const ip = attempt.ip;
	const limiterKey = ip ?? 'unknown';
	const audit = (action: string, detail: Record<string, unknown>, target?: string) =>
		appendAudit(db, { actor: username, action, target, detail, ip });

	const waitMs = limiter.retryAfterMs(limiterKey, now);
	if (waitMs > 0) {
		await audit('auth.sign_in_failed', { reason: 'rate_limited' });
		return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.ceil(waitMs / 1000) };
	}

	const user = await findUserByUsername(db, { username });
	if (user?.lockedUntil && user.lockedUntil > now) {
		limiter.record(limiterKey, now);
		await audit('auth.sign_in_failed', { reason: 'locked' }, user.id);
		return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil };
	}

	dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
	const passwordOk = await verifyPassword(
		user?.passwordHash ?? (await dummyHash),
		attempt.password
	);

	if (!user) {
		limiter.record(limiterKey, now);
		await audit('auth.sign_in_failed', { reason: 'unknown_user' });
		return { ok: false, reason: 'invalid' };
	}

	if (!passwordOk) {
		limiter.record(limiterKey, now);
		const after = await recordLoginFailure(db, {
			userId: user.id,
			now,
			maxFailures: MAX_FAILURES,
			lockMs: LOCK_MS
		});
		if (after.lockedUntil && after.lockedUntil > now) {
			await audit(
				'auth.locked',
				{ failures: MAX_FAILURES, lockedUntil: after.lockedUntil.toISOString() },
				user.id
			);
			return { ok: false, reason: 'locked', lockedUntil: after.lockedUntil };
		}
		await audit(
			'auth.sign_in_failed',
			{ reason: 'wrong_password', failures: after.failedLogins },
			user.id
		);
		return { ok: false, reason: 'invalid' };
	}

	// A disabled account gets the same answer as a wrong password; the audit log says why.
	if (user.disabledAt) {
		await audit('auth.sign_in_failed', { reason: 'disabled' }, user.id);
		return { ok: false, reason: 'invalid' };
	}

	if (user.failedLogins > 0 || user.lockedUntil) await resetLoginFailures(db, { userId: user.id });
	const session = await createUserSession(db, user, { ip, userAgent: attempt.userAgent, now });
	await audit('auth.sign_in', {}, user.id);
	return {
		ok: true,
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName ?? user.username,
			role: user.role,
			districts: user.districts
		},
		session
	};
}

/** What to tell the person signing in, with times in the state's time zone. */
export function describeSignInFailure(failure: SignInFailure, timeZone: string): string {
	switch (failure.reason) {
		case 'invalid':
			return 'Wrong username or password.';
		case 'locked': {
			const until = new Intl.DateTimeFormat('en-IN', {
				timeZone,
				hour: 'numeric',
				minute: '2-digit',
				timeZoneName: 'short'
			}).format(failure.lockedUntil);
			return `Too many failed attempts. This account is locked until ${until}.`;
		}
		case 'rate_limited': {
			const minutes = Math.max(1, Math.ceil(failure.retryAfterSeconds / 60));
			return `Too many failed sign-ins from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
		}
	}
}

/**
 * Where to go after signing in: `next` when it is a path on this site, else '/'.
 * Absolute and protocol-relative URLs ('//evil', '/\\evil') would leave the site.
 */
export function safeNextPath(next: string | null | undefined, origin: string): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return '/'; // not a URL at all; the overview is a safe landing
	}
	if (url.origin !== origin || url.pathname === '/login' || url.pathname === '/logout') return '/';
	return url.pathname + url.search + url.hash;
}
