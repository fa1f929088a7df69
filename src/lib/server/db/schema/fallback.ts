import { sql } from 'drizzle-orm';
import {
	bigserial,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { sites } from './geography';

/**
 * The stages of one fallback, in order: the site works on paper (`manual`), is back online
 * with paper records still to come in (`backfilling`), and an officer has confirmed that
 * the paper doses in the record match the register (`reconciled`). A site with no
 * fallback under way is `online`.
 */
export const fallbackStages = ['manual', 'backfilling', 'reconciled'] as const;
export type FallbackStage = (typeof fallbackStages)[number];

/** A stretch of time a site worked on paper; `to` is null while it still does. */
export interface ManualPeriod {
	from: string;
	to: string | null;
}

/**
 * One fallback of a site, from the switch to manual until it is reconciled. Switched to
 * manual again before reconciling, the same fallback goes on with another period.
 */
export const fallbackEpisodes = pgTable(
	'fallback_episodes',
	{
		id: uuid().primaryKey().defaultRandom(),
		siteCode: text()
			.notNull()
			.references(() => sites.code),
		districtCode: text().notNull(),
		stage: text({ enum: fallbackStages }).notNull(),
		/** When the site first went to paper, by whom and why. */
		manualAt: timestamp({ withTimezone: true }).notNull(),
		manualBy: text().notNull(),
		reasonCode: text().notNull(),
		reason: text().notNull(),
		periods: jsonb()
			.$type<ManualPeriod[]>()
			.notNull()
			.default(sql`'[]'::jsonb`),
		/** When the site was last switched back online, and by whom. */
		onlineAt: timestamp({ withTimezone: true }),
		onlineBy: text(),
		/** Doses in the paper register, as the officer reports them (null: not reported yet). */
		registerCount: integer(),
		reconciledAt: timestamp({ withTimezone: true }),
		reconciledBy: text()
	},
	(t) => [
		// At most one fallback under way per site.
		uniqueIndex('fallback_episodes_one_open')
			.on(t.siteCode)
			.where(sql`${t.stage} <> 'reconciled'`),
		index().on(t.districtCode, t.stage),
		index().on(t.siteCode, t.manualAt)
	]
);

/** The whole life of an alert: opened, grouped, acknowledged, assigned, noted, resolved. */
export const alertEventKinds = [
	'opened',
	'grouped',
	'acknowledged',
	'assigned',
	'note',
	'resolved'
] as const;
export type AlertEventKind = (typeof alertEventKinds)[number];

export const alertEvents = pgTable(
	'alert_events',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		alertId: uuid().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow(),
		kind: text({ enum: alertEventKinds }).notNull(),
		/** A username, or 'system' for the detectors. */
		actor: text().notNull(),
		/** The note, the person assigned, the cause or the reason, by kind. */
		text: text()
	},
	(t) => [index().on(t.alertId, t.at)]
);

/** One upload of a site's paper register: its reconciliation report. */
export const backfillUploads = pgTable(
	'backfill_uploads',
	{
		id: uuid().primaryKey().defaultRandom(),
		siteCode: text()
			.notNull()
			.references(() => sites.code),
		districtCode: text().notNull(),
		/** The fallback the paper doses belong to (null when none was under way). */
		episodeId: uuid(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow(),
		actor: text().notNull(),
		filename: text(),
		rows: integer().notNull(),
		accepted: integer().notNull(),
		duplicates: integer().notNull(),
		rejected: integer().notNull()
	},
	(t) => [index().on(t.siteCode, t.at), index().on(t.episodeId)]
);

export const backfillOutcomes = ['accepted', 'duplicate', 'rejected'] as const;
export type BackfillOutcome = (typeof backfillOutcomes)[number];

/** Every row of an upload and what became of it; rejected rows are kept as sent. */
export const backfillRows = pgTable(
	'backfill_rows',
	{
		uploadId: uuid().notNull(),
		/** 1-based line of the file (the header is line 1). */
		line: integer().notNull(),
		outcome: text({ enum: backfillOutcomes }).notNull(),
		/** beneficiary|dose|local day: what makes a paper dose the same dose. */
		doseKey: text(),
		/** The dose row that holds it (accepted: the new row; duplicate: the one already held). */
		doseId: text(),
		error: text(),
		raw: text()
	},
	(t) => [primaryKey({ columns: [t.uploadId, t.line] })]
);

export const notificationStatuses = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];

/** An outbound message to a site (its in-charge), with what became of its delivery. */
export const notifications = pgTable(
	'notifications',
	{
		id: uuid().primaryKey().defaultRandom(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		siteCode: text().notNull(),
		districtCode: text().notNull(),
		kind: text().notNull(),
		/** What the message says, in words (the payload carries the same as fields). */
		body: text().notNull(),
		payload: jsonb().notNull(),
		/** The notifier that last tried it (log, webhook). */
		channel: text(),
		status: text({ enum: notificationStatuses }).notNull().default('pending'),
		attempts: integer().notNull().default(0),
		lastAttemptAt: timestamp({ withTimezone: true }),
		sentAt: timestamp({ withTimezone: true }),
		error: text()
	},
	(t) => [index().on(t.status, t.lastAttemptAt), index().on(t.siteCode, t.createdAt)]
);
