import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const tokenScopes = ['ingest', 'read'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Machine credentials. Only the SHA-256 of a token is stored. */
export const apiTokens = pgTable('api_tokens', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull(),
	tokenHash: text().notNull().unique(),
	scopes: text().array().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	lastUsedAt: timestamp({ withTimezone: true }),
	revokedAt: timestamp({ withTimezone: true })
});

export const roles = [
	'admin',
	'state_officer',
	'district_officer',
	'secretary',
	'helpdesk'
] as const;
export type Role = (typeof roles)[number];

/** People who sign in at /login. */
export const users = pgTable('users', {
	id: uuid().primaryKey().defaultRandom(),
	username: text().notNull().unique(),
	displayName: text(),
	passwordHash: text().notNull(),
	role: text({ enum: roles }).notNull(),
	/** District codes a district officer may see; empty for state-wide roles. */
	districts: text().array().notNull().default([]),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	disabledAt: timestamp({ withTimezone: true }),
	failedLogins: integer().notNull().default(0),
	lockedUntil: timestamp({ withTimezone: true })
});

/** Server-side sign-in sessions; the cookie holds a random id whose SHA-256 is stored. */
export const userSessions = pgTable(
	'user_sessions',
	{
		idHash: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp({ withTimezone: true }),
		ip: text(),
		userAgent: text()
	},
	(t) => [index().on(t.userId)]
);
