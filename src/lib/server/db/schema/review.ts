import {
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import { districts } from './geography';

/**
 * A district's plan for one day (a local calendar date in APP_TIMEZONE): the doses it
 * should give, and how many people were registered in it as of that day. Either may be
 * unknown (null). Loaded by CSV (admin command or the review page) or edited on the page.
 */
export const districtTargets = pgTable(
	'district_targets',
	{
		districtCode: text()
			.notNull()
			.references(() => districts.code),
		date: date({ mode: 'string' }).notNull(),
		/** Doses planned for the day. */
		target: integer(),
		/** People registered in the district, as of the day. */
		registered: integer(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedBy: text()
	},
	(t) => [primaryKey({ columns: [t.districtCode, t.date] }), index().on(t.date)]
);

/**
 * Completed doses per local day, site, vaccine and dose number (0: not given), kept in the
 * same statement as the raw rows (queries/dose.ts), late paper backfills and withdrawals
 * included. The review reads past days from here, never from a scan of dose_events. The
 * day is in the time zone recorded in app_meta (queries/review.ts rebuilds on a change).
 */
export const doseDayRollups = pgTable(
	'dose_day_rollups',
	{
		date: date({ mode: 'string' }).notNull(),
		siteCode: text().notNull(),
		vaccine: text().notNull(),
		dose: smallint().notNull(),
		doses: integer().notNull()
	},
	(t) => [
		primaryKey({ columns: [t.date, t.siteCode, t.vaccine, t.dose] }),
		// A district's review reads its sites' rows, not every site's.
		index().on(t.siteCode, t.date)
	]
);

/**
 * SMS per local day of sending and site: how many were sent and how many of them are
 * delivered now, kept in the same statements that insert messages and move their status
 * (queries/sms.ts).
 */
export const smsDayRollups = pgTable(
	'sms_day_rollups',
	{
		date: date({ mode: 'string' }).notNull(),
		siteCode: text().notNull(),
		sent: integer().notNull(),
		delivered: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.date, t.siteCode] }), index().on(t.siteCode, t.date)]
);
