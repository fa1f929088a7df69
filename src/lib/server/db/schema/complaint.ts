import {
	bigserial,
	index,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import {
	complaintActionKinds,
	complaintCategories,
	complaintChannels,
	complaintPriorities,
	complaintStatuses,
	eventKinds
} from '../../../shared/complaint';
import { districts, sites } from './geography';

/** A grouping of many complaints about one thing (an OTP outage in a district, a closed site). */
export const complaintIncidents = pgTable('complaint_incidents', {
	id: uuid().primaryKey().defaultRandom(),
	title: text().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	createdBy: text().notNull()
});

/**
 * A complaint to the help desk. `id` is the sender's idempotency key when it gave one.
 * The review reads complaints opened and resolved per district and day from
 * district_code, opened_at and resolved_at.
 */
export const complaints = pgTable(
	'complaints',
	{
		id: text().primaryKey(),
		/** When the complaint was made (the call), which the SLA counts from. */
		openedAt: timestamp({ withTimezone: true }).notNull(),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		channel: text({ enum: complaintChannels }).notNull(),
		category: text({ enum: complaintCategories }).notNull(),
		siteCode: text().references(() => sites.code),
		districtCode: text().references(() => districts.code),
		/** Personal data: shown only to roles that phone people (policy.ts). */
		callerPhone: text(),
		notes: text(),
		priority: text({ enum: complaintPriorities }).notNull(),
		status: text({ enum: complaintStatuses }).notNull().default('new'),
		/** Username of the person working on it. */
		assignee: text(),
		slaDueAt: timestamp({ withTimezone: true }).notNull(),
		incidentId: uuid().references(() => complaintIncidents.id),
		/** The latest resolution; cleared when the complaint is reopened. */
		resolvedAt: timestamp({ withTimezone: true }),
		closedAt: timestamp({ withTimezone: true }),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/** Who filed it: a username, or `token:<name>` for another channel's system. */
		createdBy: text().notNull()
	},
	(t) => [
		index().on(t.status, t.slaDueAt),
		index().on(t.districtCode, t.openedAt),
		index().on(t.category, t.openedAt),
		index().on(t.siteCode),
		index().on(t.incidentId),
		index().on(t.resolvedAt)
	]
);

/** A complaint's history: who changed what, when, and why. Append-only. */
export const complaintEvents = pgTable(
	'complaint_events',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		complaintId: text()
			.notNull()
			.references(() => complaints.id),
		at: timestamp({ withTimezone: true }).notNull().defaultNow(),
		actor: text().notNull(),
		kind: text({ enum: eventKinds }).notNull(),
		fromStatus: text({ enum: complaintStatuses }),
		toStatus: text({ enum: complaintStatuses }),
		note: text(),
		detail: jsonb()
	},
	(t) => [index().on(t.complaintId, t.at)]
);

/**
 * A request the help desk handed to an officer, raised as an alert of kind
 * `helpdesk_action` (the alert's id is this row's id). `seen*` hold what the complaints'
 * history has already been told, so each outcome is written once.
 */
export const complaintActions = pgTable(
	'complaint_actions',
	{
		id: uuid().primaryKey(),
		complaintId: text()
			.notNull()
			.references(() => complaints.id),
		/** When the complaint was in an incident: the outcome goes to all its complaints. */
		incidentId: uuid().references(() => complaintIncidents.id),
		kind: text({ enum: complaintActionKinds }).notNull(),
		siteCode: text(),
		districtCode: text(),
		note: text(),
		requestedBy: text().notNull(),
		requestedAt: timestamp({ withTimezone: true }).notNull(),
		seenStatus: text({ enum: ['open', 'acknowledged', 'resolved'] })
			.notNull()
			.default('open'),
		/** Set once the outcome is known (alert resolved, or the site's mode changed). */
		settledAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.settledAt), index().on(t.complaintId), index().on(t.incidentId)]
);

/**
 * The complaints a hand-off speaks for: the one it was raised from, and those that joined
 * it later (the same request for the same site). Complaints in its incident are counted
 * through the incident.
 */
export const complaintActionMembers = pgTable(
	'complaint_action_members',
	{
		actionId: uuid()
			.notNull()
			.references(() => complaintActions.id),
		complaintId: text()
			.notNull()
			.references(() => complaints.id)
	},
	(t) => [primaryKey({ columns: [t.actionId, t.complaintId] }), index().on(t.complaintId)]
);
