import { date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { callOutcomes, smsOutcomes } from '../../../shared/sms';

/**
 * The SMS board's rollups, kept in the same transaction as the messages and reports they
 * count (server/feeds/writers.ts), so the board never scans millions of messages.
 *
 * Messages per site and local day of sending (APP_TIMEZONE) by where they stand now:
 * pending, delivered, or failed in a reason group. A status move shifts one message from
 * one row to another.
 */
export const smsSiteDays = pgTable(
	'sms_site_days',
	{
		day: date({ mode: 'string' }).notNull(),
		siteCode: text().notNull(),
		outcome: text({ enum: smsOutcomes }).notNull(),
		/** The failure reason group; '' for pending and delivered. */
		reason: text().notNull().default(''),
		messages: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.day, t.siteCode, t.outcome, t.reason] })]
);

/**
 * Messages still waiting for a final report, per district and minute of sending. Only the
 * last SMS_NO_REPORT_MINUTES (plus the alert window) are ever read: the pending messages
 * older than that are the `no report` ones, counted as the day's pending minus these.
 * Per district, not per site: a batch of reports then touches a few rows, not thousands.
 */
export const smsPendingByDistrict = pgTable(
	'sms_pending_by_district',
	{
		minute: timestamp({ withTimezone: true }).notNull(),
		districtCode: text().notNull(),
		messages: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.minute, t.districtCode] })]
);

/**
 * Final outcomes per district and 5 minutes of the report's time (delivered, or failed in a
 * reason group): failures by reason over time, and the failure-rate alert's window.
 */
export const smsOutcomeBuckets = pgTable(
	'sms_outcome_buckets',
	{
		bucket: timestamp({ withTimezone: true }).notNull(),
		districtCode: text().notNull(),
		outcome: text({ enum: smsOutcomes }).notNull(),
		reason: text().notNull().default(''),
		messages: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.bucket, t.districtCode, t.outcome, t.reason] })]
);

/**
 * What staff found when they phoned a person on a call list: the latest mark per person,
 * site and appointment date. Clearing a mark deletes it; every mark and clear is in the
 * audit log as well.
 */
export const callMarks = pgTable(
	'call_marks',
	{
		siteCode: text().notNull(),
		date: date({ mode: 'string' }).notNull(),
		beneficiaryRef: text().notNull(),
		outcome: text({ enum: callOutcomes }).notNull(),
		markedBy: text().notNull(),
		markedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.siteCode, t.date, t.beneficiaryRef] }), index().on(t.markedAt)]
);
