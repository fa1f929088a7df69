import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { users, userSessions, type Role } from '../schema';

export type UserRow = typeof users.$inferSelect;
/** A user as shown to administrators: never the password hash. */
export type UserSummary = Omit<UserRow, 'passwordHash'>;

const summaryColumns = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	role: users.role,
	districts: users.districts,
	createdAt: users.createdAt,
	disabledAt: users.disabledAt,
	failedLogins: users.failedLogins,
	lockedUntil: users.lockedUntil
};

export async function createUser(
	db: Db,
	params: {
		username: string;
		displayName?: string | null;
		passwordHash: string;
		role: Role;
		districts: string[];
	}
): Promise<UserSummary> {
	const [row] = await db
		.insert(users)
		.values({
			username: params.username,
			displayName: params.displayName ?? null,
			passwordHash: params.passwordHash,
			role: params.role,
			districts: params.districts
		})
		.returning(summaryColumns);
	return row;
}

export async function findUserByUsername(
	db: Db,
	params: { username: string }
): Promise<UserRow | undefined> {
	const [row] = await db.select().from(users).where(eq(users.username, params.username)).limit(1);
	return row;
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
	return db.select(summaryColumns).from(users).orderBy(asc(users.username));
}

export async function setUserDisabled(
	db: Db,
	params: { userId: string; disabledAt: Date | null }
): Promise<void> {
	await db.update(users).set({ disabledAt: params.disabledAt }).where(eq(users.id, params.userId));
}

/**
 * Count one failed sign-in, atomically. When the count reaches maxFailures the user is
 * locked until now + lockMs and the count starts again, so the next lock needs another
 * full run of failures once this one has passed.
 */
export async function recordLoginFailure(
	db: Db,
	params: { userId: string; now: Date; maxFailures: number; lockMs: number }
): Promise<{ failedLogins: number; lockedUntil: Date | null }> {
	const lockUntil = new Date(params.now.getTime() + params.lockMs).toISOString();
	const reachesLimit = sql`${users.failedLogins} + 1 >= ${params.maxFailures}`;
	const [row] = await db
		.update(users)
		.set({
			failedLogins: sql`case when ${reachesLimit} then 0 else ${users.failedLogins} + 1 end`,
			lockedUntil: sql`case when ${reachesLimit} then ${lockUntil}::timestamptz else ${users.lockedUntil} end`
		})
		.where(eq(users.id, params.userId))
		.returning({ failedLogins: users.failedLogins, lockedUntil: users.lockedUntil });
	return row ?? { failedLogins: 0, lockedUntil: null };
}

export async function resetLoginFailures(db: Db, params: { userId: string }): Promise<void> {
	await db
		.update(users)
		.set({ failedLogins: 0, lockedUntil: null })
		.where(eq(users.id, params.userId));
}

export async function createSession(
	db: Db,
	params: {
		idHash: string;
		userId: string;
		now: Date;
		expiresAt: Date;
		ip?: string | null;
		userAgent?: string | null;
	}
): Promise<void> {
	await db.insert(userSessions).values({
		idHash: params.idHash,
		userId: params.userId,
		createdAt: params.now,
		lastSeenAt: params.now,
		expiresAt: params.expiresAt,
		ip: params.ip ?? null,
		userAgent: params.userAgent ?? null
	});
}

export interface SessionWithUser {
	session: { idHash: string; createdAt: Date; expiresAt: Date; lastSeenAt: Date };
	user: {
		id: string;
		username: string;
		displayName: string | null;
		role: Role;
		districts: string[];
	};
}

/** A session that is usable at `now`: not revoked, not expired, and its user not disabled. */
export async function findSessionWithUser(
	db: Db,
	params: { idHash: string; now: Date }
): Promise<SessionWithUser | undefined> {
	const [row] = await db
		.select({
			session: {
				idHash: userSessions.idHash,
				createdAt: userSessions.createdAt,
				expiresAt: userSessions.expiresAt,
				lastSeenAt: userSessions.lastSeenAt
			},
			user: {
				id: users.id,
				username: users.username,
				displayName: users.displayName,
				role: users.role,
				districts: users.districts
			}
		})
		.from(userSessions)
		.innerJoin(users, eq(users.id, userSessions.userId))
		.where(
			and(
				eq(userSessions.idHash, params.idHash),
				isNull(userSessions.revokedAt),
				gt(userSessions.expiresAt, params.now),
				isNull(users.disabledAt)
			)
		)
		.limit(1);
	return row;
}

/** Record activity; with expiresAt, also slide the session's end. */
export async function touchSession(
	db: Db,
	params: { idHash: string; now: Date; expiresAt?: Date }
): Promise<void> {
	await db
		.update(userSessions)
		.set(
			params.expiresAt
				? { lastSeenAt: params.now, expiresAt: params.expiresAt }
				: { lastSeenAt: params.now }
		)
		.where(and(eq(userSessions.idHash, params.idHash), isNull(userSessions.revokedAt)));
}

export async function revokeSession(db: Db, params: { idHash: string; now: Date }): Promise<void> {
	await db
		.update(userSessions)
		.set({ revokedAt: params.now })
		.where(and(eq(userSessions.idHash, params.idHash), isNull(userSessions.revokedAt)));
}

/** Revoke every live session of a user; returns how many were revoked. */
export async function revokeUserSessions(
	db: Db,
	params: { userId: string; now: Date }
): Promise<number> {
	const rows = await db
		.update(userSessions)
		.set({ revokedAt: params.now })
		.where(
			and(
				eq(userSessions.userId, params.userId),
				isNull(userSessions.revokedAt),
				gt(userSessions.expiresAt, params.now)
			)
		)
		.returning({ idHash: userSessions.idHash });
	return rows.length;
}

export async function findUserById(
	db: Db,
	params: { userId: string }
): Promise<UserSummary | undefined> {
	const [row] = await db
		.select(summaryColumns)
		.from(users)
		.where(eq(users.id, params.userId))
		.limit(1);
	return row;
}

/** A user as the admin page lists them: with their sessions' activity. */
export interface UserWithActivity extends UserSummary {
	/** Sessions not revoked and not expired. */
	activeSessions: number;
	lastSignInAt: Date | null;
	lastSeenAt: Date | null;
}

export async function listUsersWithActivity(
	db: Db,
	params: { now: Date }
): Promise<UserWithActivity[]> {
	const now = params.now.toISOString();
	const activity = db
		.select({
			userId: userSessions.userId,
			activeSessions:
				sql<number>`count(*) filter (where ${userSessions.revokedAt} is null and ${userSessions.expiresAt} > ${now}::timestamptz)`
					.mapWith(Number)
					.as('active_sessions'),
			lastSignInAt: sql<Date | null>`max(${userSessions.createdAt})`
				.mapWith(userSessions.createdAt)
				.as('last_sign_in_at'),
			lastSeenAt: sql<Date | null>`max(${userSessions.lastSeenAt})`
				.mapWith(userSessions.lastSeenAt)
				.as('last_seen_at')
		})
		.from(userSessions)
		.groupBy(userSessions.userId)
		.as('activity');
	const rows = await db
		.select({
			...summaryColumns,
			activeSessions: activity.activeSessions,
			lastSignInAt: activity.lastSignInAt,
			lastSeenAt: activity.lastSeenAt
		})
		.from(users)
		.leftJoin(activity, eq(activity.userId, users.id))
		.orderBy(asc(users.username));
	return rows.map((r) => ({
		...r,
		activeSessions: r.activeSessions ?? 0,
		lastSignInAt: r.lastSignInAt ?? null,
		lastSeenAt: r.lastSeenAt ?? null
	}));
}

/** A new password: failures and any lock are cleared with it. */
export async function setPasswordHash(
	db: Db,
	params: { userId: string; passwordHash: string }
): Promise<void> {
	await db
		.update(users)
		.set({ passwordHash: params.passwordHash, failedLogins: 0, lockedUntil: null })
		.where(eq(users.id, params.userId));
}

/**
 * Of these session hashes, the ones still usable at `now` (not revoked, not expired, the
 * person not disabled): live sockets are re-checked with this.
 */
export async function activeSessionHashes(
	db: Db,
	params: { idHashes: string[]; now: Date }
): Promise<string[]> {
	if (params.idHashes.length === 0) return [];
	const rows = await db
		.select({ idHash: userSessions.idHash })
		.from(userSessions)
		.innerJoin(users, eq(users.id, userSessions.userId))
		.where(
			and(
				inArray(userSessions.idHash, params.idHashes),
				isNull(userSessions.revokedAt),
				gt(userSessions.expiresAt, params.now),
				isNull(users.disabledAt)
			)
		);
	return rows.map((r) => r.idHash);
}
