/**
 * What the map and the drill-down panels read (GET /api/v1/districts/geometry,
 * /api/v1/districts/{code}/throughput, /api/v1/sites/{code}/activity), declared once for
 * the server and the browser.
 */
import type { SiteStatus } from './live';

/** Properties of each district feature in the geometry collection. */
export interface DistrictFeatureProperties {
	code: string;
	name: string;
	/** True while the shape is the demo's approximation, not an official boundary. */
	approximate: boolean;
	/** Where the district's label goes: its headquarters, or the middle of its shape. */
	labelLon: number;
	labelLat: number;
}

/** Something that happened and may explain a change in throughput. */
export interface TimelineEvent {
	at: string;
	/** When it ended (an alert closed); null while it lasts or for a moment in time. */
	endedAt: string | null;
	kind: 'manual' | 'online' | 'health' | 'alert';
	/** What happened, in a few words: "Switched to manual", "national-server down". */
	title: string;
	/** Who or what caused it: a person's username, a detector, a probe target. */
	by: string;
	siteCode: string | null;
	siteName: string | null;
	/** The reason given, or the alert's summary. */
	detail: string | null;
}

export interface HourThroughput {
	/** Start of the local hour (ISO-8601). */
	start: string;
	doses: number;
	/** Planned capacity of the sessions open in this hour, spread over their hours. */
	plan: number;
	/** Doses in the same local hour yesterday. */
	yesterday: number;
}

/** GET /api/v1/districts/{code}/throughput */
export interface DistrictThroughput {
	code: string;
	name: string;
	/** The state's calendar day (YYYY-MM-DD) in APP_TIMEZONE. */
	day: string;
	timeZone: string;
	approximate: boolean;
	hours: HourThroughput[];
	timeline: TimelineEvent[];
	at: string;
}

export interface QuarterHour {
	start: string;
	doses: number;
	plan: number;
}

export interface StatusSpan {
	from: string;
	/** End of the span; the last one ends at `at` (now). */
	to: string;
	status: SiteStatus;
	/** Why it was stalled, as the live state says it (null otherwise). */
	cause: string | null;
}

export interface SmsOutcome {
	sent: number;
	delivered: number;
	/** No final report yet (queued or sent). */
	pending: number;
	failed: number;
	/** Failed messages by reason group (invalid number, DND, template, timeout, …). */
	failedBy: Record<string, number>;
}

/** GET /api/v1/sites/{code}/activity */
export interface SiteActivity {
	code: string;
	name: string;
	districtCode: string;
	districtName: string;
	mode: 'online' | 'manual';
	modeChangedAt: string | null;
	lastHeartbeatAt: string | null;
	/** Heartbeats received today. */
	heartbeatsToday: number;
	lat: number | null;
	lon: number | null;
	day: string;
	timeZone: string;
	quarterHours: QuarterHour[];
	statusHistory: StatusSpan[];
	sms: SmsOutcome;
	timeline: TimelineEvent[];
	at: string;
}
