import { sql } from 'drizzle-orm';
import {
	bigserial,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';

export const alertStatuses = ['open', 'acknowledged', 'resolved'] as const;

export const alerts = pgTable(
	'alerts',
	{
		id: uuid().primaryKey().defaultRandom(),
		kind: text().notNull(),
		status: text({ enum: alertStatuses }).notNull().default('open'),
		openedAt: timestamp({ withTimezone: true }).notNull(),
		closedAt: timestamp({ withTimezone: true }),
		districtCode: text(),
		siteCode: text(),
		parentId: uuid(),
		summary: text().notNull(),
		detail: jsonb()
	},
	(t) => [index().on(t.status), index().on(t.siteCode)]
);

/** Items a feed rejected, kept raw so an operator can inspect and replay them. */
export const quarantine = pgTable(
	'quarantine',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		feed: text().notNull(),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		error: text().notNull(),
		/** The item as sent (JSON value, or the raw line/text). */
		item: jsonb().notNull(),
		replayedAt: timestamp({ withTimezone: true }),
		replayAttempts: integer().notNull().default(0)
	},
	(t) => [index().on(t.feed, t.replayedAt)]
);

/** Append-only record of who did what, when and from where. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		at: timestamp({ withTimezone: true })
			.notNull()
			.default(sql`now()`),
		actor: text().notNull(),
		action: text().notNull(),
		target: text(),
		detail: jsonb(),
		ip: text()
	},
	(t) => [index().on(t.at), index().on(t.action)]
);

/** Key/value facts about this database (for example, whether it holds demo data). */
export const appMeta = pgTable('app_meta', {
	key: text().primaryKey(),
	value: text().notNull()
});
