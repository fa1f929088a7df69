import {
	boolean,
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

/** Who is expected where and when (for call lists). */
export const appointments = pgTable(
	'appointments',
	{
		beneficiaryRef: text().notNull(),
		siteCode: text().notNull(),
		date: date({ mode: 'string' }).notNull(),
		slot: text(),
		name: text(),
		phone: text()
	},
	(t) => [
		primaryKey({ columns: [t.beneficiaryRef, t.siteCode, t.date] }),
		index().on(t.siteCode, t.date)
	]
);

/** A site's device said it was alive. */
export const heartbeats = pgTable(
	'heartbeats',
	{
		siteCode: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull(),
		device: text().notNull().default(''),
		pendingUploads: integer()
	},
	(t) => [primaryKey({ columns: [t.siteCode, t.device, t.at] }), index().on(t.at)]
);

/** A health sample of an outside system (national server, SMS gateway, …). */
export const healthSamples = pgTable(
	'health_samples',
	{
		target: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull(),
		ok: boolean().notNull(),
		latencyMs: integer(),
		detail: text()
	},
	(t) => [primaryKey({ columns: [t.target, t.at] }), index().on(t.at)]
);
