import {
	index,
	integer,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

export const doseSources = ['live', 'backfill'] as const;
export const doseStatuses = ['completed', 'entered_in_error'] as const;

/** One administered dose, keyed by the sender's id (idempotency key). */
export const doseEvents = pgTable(
	'dose_events',
	{
		id: text().primaryKey(),
		siteCode: text().notNull(),
		occurredAt: timestamp({ withTimezone: true }).notNull(),
		vaccine: text().notNull(),
		/** Null when the sender did not say (FHIR without protocolApplied). */
		dose: smallint(),
		beneficiaryRef: text().notNull(),
		vaccinatorRef: text(),
		sessionId: text(),
		source: text({ enum: doseSources }).notNull().default('live'),
		status: text({ enum: doseStatuses }).notNull().default('completed'),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index().on(t.siteCode, t.occurredAt),
		index().on(t.occurredAt),
		// Paper backfills look doses up by beneficiary (same beneficiary, dose and day).
		index().on(t.beneficiaryRef)
	]
);

/**
 * Completed doses per site per minute, written in the same transaction as the raw rows;
 * the live state and every chart read these, never a scan of dose_events.
 */
export const doseRollups = pgTable(
	'dose_rollups',
	{
		siteCode: text().notNull(),
		minute: timestamp({ withTimezone: true }).notNull(),
		doses: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.siteCode, t.minute] }), index().on(t.minute)]
);
