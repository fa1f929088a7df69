/** The live picture, as sent by GET /api/v1/snapshot and the socket (contract v1). */

export const siteStatuses = ['active', 'idle', 'stalled', 'manual', 'closed'] as const;
export type SiteStatus = (typeof siteStatuses)[number];

export const healthStatuses = ['up', 'degraded', 'down', 'unknown'] as const;
export type HealthStatus = (typeof healthStatuses)[number];

export interface Totals {
	dosesToday: number;
	sitesActive: number;
	sitesStalled: number;
	sitesManual: number;
	smsFailedToday: number;
}

export interface DistrictLive {
	code: string;
	name: string;
	dosesToday: number;
	dosesLastHour: number;
	/** Planned capacity per hour of the sessions open now (0 when none is open). */
	capacityPerHour: number;
	/** Capacity of all sessions planned for today: the day's target (0 when none). */
	plannedToday: number;
	sitesActive: number;
	sitesIdle: number;
	sitesStalled: number;
	sitesManual: number;
	sitesClosed: number;
	smsSent: number;
	smsFailed: number;
}

export interface SiteLive {
	code: string;
	name: string;
	districtCode: string;
	status: SiteStatus;
	dosesToday: number;
	/** ISO-8601 with offset, or null before the first dose. */
	lastDoseAt: string | null;
	lastHeartbeatAt: string | null;
	lat: number | null;
	lon: number | null;
}

export interface HealthLive {
	target: string;
	status: HealthStatus;
	latencyMs: number | null;
	at: string | null;
}

export interface AlertLive {
	id: string;
	kind: string;
	status: 'open' | 'acknowledged';
	openedAt: string;
	districtCode?: string;
	siteCode?: string;
	parentId?: string;
	summary: string;
}

export interface Snapshot {
	seq: number;
	/** Identifies this server's stream: resume only within the same epoch. */
	epoch: string;
	at: string;
	/** The state's calendar day (APP_TIMEZONE) the counters belong to. */
	day: string;
	timeZone: string;
	simulated: boolean;
	thresholds: { stallMinutes: number; startupGraceMinutes: number };
	totals: Totals;
	districts: DistrictLive[];
	sites: SiteLive[];
	health: HealthLive[];
	alerts: AlertLive[];
}

/** What changed since the previous seq; absent lists mean no change. */
export interface Delta {
	seq: number;
	epoch: string;
	at: string;
	day: string;
	totals: Totals;
	districts?: DistrictLive[];
	sites?: SiteLive[];
	health?: HealthLive[];
	/** Alerts opened or changed (still open or acknowledged). */
	alerts?: AlertLive[];
	/** Ids of alerts that are no longer open. */
	alertsClosed?: string[];
}
