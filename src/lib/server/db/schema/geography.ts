import { sql } from 'drizzle-orm';
import {
	boolean,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

/** A district of the state. Geometry is GeoJSON (Polygon or MultiPolygon) in WGS84. */
export const districts = pgTable('districts', {
	code: text().primaryKey(),
	name: text().notNull(),
	state: text().notNull(),
	population: integer(),
	hqLat: doublePrecision(),
	hqLon: doublePrecision(),
	geometry: jsonb(),
	/** True while the geometry is the demo's approximation, not an official boundary. */
	approximate: boolean().notNull().default(true)
});

export const siteModes = ['online', 'manual'] as const;
export type SiteMode = (typeof siteModes)[number];

/** A vaccination centre (CoWIN "center"). */
export const sites = pgTable(
	'sites',
	{
		code: text().primaryKey(),
		name: text().notNull(),
		districtCode: text()
			.notNull()
			.references(() => districts.code),
		lat: doublePrecision(),
		lon: doublePrecision(),
		pincode: text(),
		mode: text({ enum: siteModes }).notNull().default('online'),
		modeChangedAt: timestamp({ withTimezone: true }),
		/** Latest heartbeat from any of the site's devices (kept here so start-up needs no scan). */
		lastHeartbeatAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.districtCode)]
);

/** A site's planned vaccination window on a date (local calendar date). */
export const sessions = pgTable(
	'sessions',
	{
		id: text().primaryKey(),
		siteCode: text()
			.notNull()
			.references(() => sites.code),
		date: date({ mode: 'string' }).notNull(),
		capacity: integer().notNull(),
		vaccine: text(),
		startsAt: timestamp({ withTimezone: true }),
		endsAt: timestamp({ withTimezone: true }),
		updatedAt: timestamp({ withTimezone: true })
			.notNull()
			.default(sql`now()`)
	},
	(t) => [index().on(t.date, t.siteCode)]
);
