import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const probeMethods = ['GET', 'HEAD'] as const;
export type ProbeMethod = (typeof probeMethods)[number];

/**
 * A built-in probe: the server checks `url` every `intervalSeconds` and records a health
 * sample under `target`, beside the samples outside probes push for the same name.
 */
export const probeTargets = pgTable('probe_targets', {
	id: uuid().primaryKey().defaultRandom(),
	/** The health target the samples are recorded under (e.g. national-server). */
	target: text().notNull().unique(),
	/** http(s) URL, or a path such as /healthz for this server itself. */
	url: text().notNull(),
	method: text({ enum: probeMethods }).notNull().default('GET'),
	expectStatus: integer().notNull().default(200),
	/** Text the body must contain (GET only); null: any body. */
	expectBody: text(),
	timeoutMs: integer().notNull().default(5000),
	intervalSeconds: integer().notNull().default(30),
	enabled: boolean().notNull().default(true),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedBy: text()
});

export const noticeOverrides = ['up', 'degraded', 'down'] as const;

/**
 * A component on the field status page (national server, OTP/SMS gateway, this product):
 * which health targets it is made of, and what sites do while it is not up.
 */
export const statusNotices = pgTable('status_notices', {
	component: text().primaryKey(),
	label: text().notNull(),
	targets: text()
		.array()
		.notNull()
		.default(sql`'{}'::text[]`),
	/** What the field does while the component is degraded or down. */
	instruction: text().notNull(),
	/** A note from the state control room, shown whatever the status. */
	message: text(),
	/** Set by an officer when they know better than the probes (null: measured). */
	override: text({ enum: noticeOverrides }),
	position: integer().notNull().default(0),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	updatedBy: text()
});

/**
 * Health samples older than the raw window, downsampled per target and 5-minute bucket.
 * Latency figures are over the answered samples; failures have no latency.
 */
export const healthSamples5m = pgTable(
	'health_samples_5m',
	{
		target: text().notNull(),
		bucket: timestamp({ withTimezone: true }).notNull(),
		samples: integer().notNull(),
		failures: integer().notNull(),
		latencyP50Ms: integer('latency_p50_ms'),
		latencyP95Ms: integer('latency_p95_ms'),
		latencyMaxMs: integer()
	},
	(t) => [primaryKey({ columns: [t.target, t.bucket] })]
);
