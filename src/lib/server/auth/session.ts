import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import {
	createSession,
	findSessionWithUser,
	revokeSession,
	touchSession
} from '../db/queries/user';
import type { Role } from '../db/schema';

export const SESSION_COOKIE = 'cc_session';
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** A session is extended to a fresh lifetime once more than this much of it has been used. */
export const SESSION_RENEW_AFTER_MS = 60 * 60 * 1000;
/** lastSeenAt is a hint for administrators; writing it more often than this is waste. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** The signed-in person, as the rest of the app sees them. */
export interface SessionUser {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	districts: string[];
}

export interface ResolvedSession {
	user: SessionUser;
	sessionIdHash: string;
	expiresAt: Date;
	/** True when expiresAt moved: the cookie should be set again with the new expiry. */
	renewed: boolean;
}

/** 32 random bytes in base64url are 43 characters. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The database keeps only this hash, so a leaked table cannot be replayed as cookies. */
export function hashSessionId(cookieValue: string): string {
	return createHash('sha256').update(cookieValue).digest('hex');
}

/** The new expiry when a session has used more than SESSION_RENEW_AFTER_MS, else null. */
export function slidExpiry(expiresAt: Date, now: Date): Date | null {
	const startedAt = expiresAt.getTime() - SESSION_LIFETIME_MS;
	if (now.getTime() - startedAt <= SESSION_RENEW_AFTER_MS) return null;
	return new Date(now.getTime() + SESSION_LIFETIME_MS);
}

export async function createUserSession(
	db: Db,
	user: { id: string },
	context: { ip?: string | null; userAgent?: string | null; now?: Date }
): Promise<{ cookieValue: string; expiresAt: Date }> {
	const now = context.now ?? new Date();
	const cookieValue = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
	await createSession(db, {
		idHash: hashSessionId(cookieValue),
		userId: user.id,
		now,
		expiresAt,
		ip: context.ip,
		userAgent: context.userAgent?.slice(0, 512)
	});
	return { cookieValue, expiresAt };
}

export async function resolveSession(
	db: Db,
	cookieValue: string | undefined,
	now: Date = new Date()
): Promise<ResolvedSession | null> {
	if (!cookieValue || !COOKIE_VALUE.test(cookieValue)) return null;
	const idHash = hashSessionId(cookieValue);
	const found = await findSessionWithUser(db, { idHash, now });
	if (!found) return null;

	let expiresAt = found.session.expiresAt;
	const extended = slidExpiry(expiresAt, now);
	if (extended) {
		await touchSession(db, { idHash, now, expiresAt: extended });
		expiresAt = extended;
	} else if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
		await touchSession(db, { idHash, now });
	}

	const { user } = found;
	return {
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName ?? user.username,
			role: user.role,
			districts: user.districts
		},
		sessionIdHash: idHash,
		expiresAt,
		renewed: extended !== null
	};
}

/** End one session on the server; harmless for an unknown or already ended one. */
export async function revokeUserSession(
	db: Db,
	cookieValue: string,
	now: Date = new Date()
): Promise<void> {
	await revokeSession(db, { idHash: hashSessionId(cookieValue), now });
}

/** Cookie attributes for the session cookie; `secure` follows the request's scheme. */
export function sessionCookieOptions(secure: boolean, expires?: Date) {
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, expires };
}
