import { date, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const smsKinds = ['appointment', 'otp', 'reminder', 'other'] as const;
export const smsStatuses = [
	'queued',
	'sent',
	'delivered',
	'failed',
	'undelivered',
	'expired',
	'rejected'
] as const;
export type SmsStatus = (typeof smsStatuses)[number];

/** A message a gateway was asked to send, with the latest status it reached. */
export const smsMessages = pgTable(
	'sms_messages',
	{
		messageId: text().primaryKey(),
		beneficiaryRef: text().notNull(),
		siteCode: text().notNull(),
		kind: text({ enum: smsKinds }).notNull(),
		sentAt: timestamp({ withTimezone: true }).notNull(),
		phone: text(),
		sessionDate: date({ mode: 'string' }),
		provider: text(),
		status: text({ enum: smsStatuses }).notNull().default('queued'),
		statusAt: timestamp({ withTimezone: true }),
		errorCode: text(),
		reason: text(),
		/** For a failed message: its reason group (src/lib/shared/sms.ts, server/sms/outcome.ts). */
		reasonGroup: text(),
		/** A resend's original message. */
		resendOf: text()
	},
	(t) => [
		index().on(t.siteCode, t.sentAt),
		index().on(t.sentAt),
		// Call lists: a site's appointment messages for one session date.
		index().on(t.siteCode, t.sessionDate),
		index().on(t.resendOf)
	]
);

/**
 * Every delivery report received, kept raw; a report may arrive before its message
 * and is applied when the message does.
 */
export const smsReports = pgTable(
	'sms_reports',
	{
		messageId: text().notNull(),
		status: text({ enum: smsStatuses }).notNull(),
		at: timestamp({ withTimezone: true }).notNull(),
		errorCode: text(),
		reason: text(),
		provider: text(),
		/** For a failure report: its reason group, decided when it arrived. */
		reasonGroup: text(),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.messageId, t.status, t.at] })]
);
