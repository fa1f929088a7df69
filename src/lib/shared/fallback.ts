/**
 * Stalled sites and the manual fallback: the words and shapes shared by the API, the
 * pages and the server (alert kinds, switch reasons, the fallback stages, the answers of
 * the fallback, backfill and alert endpoints).
 */

/** An open session with no dose (or no heartbeat) for longer than the stall window. */
export const SITE_STALLED = 'site_stalled';
/** The parent of site alerts that share one cause (a health incident, a district-wide silence). */
export const STALL_GROUP = 'stall_group';

export type SiteMode = 'online' | 'manual';

/** Where a site is in the life of a fallback; `online` when none is under way. */
export const fallbackStageNames = ['online', 'manual', 'backfilling', 'reconciled'] as const;
export type FallbackStageName = (typeof fallbackStageNames)[number];

export const stageLabels: Record<FallbackStageName, string> = {
	online: 'Online',
	manual: 'On paper',
	backfilling: 'Backfilling',
	reconciled: 'Reconciled'
};

export interface SwitchReason {
	code: string;
	label: string;
}

/** Why a site goes to paper: the pick-list of the switch dialog. */
export const manualReasons: readonly SwitchReason[] = [
	{ code: 'app_down', label: 'Vaccinator app not working' },
	{ code: 'national_server', label: 'National server slow or down' },
	{ code: 'otp_sms', label: 'OTP or SMS not arriving' },
	{ code: 'connectivity', label: 'No mobile data or internet' },
	{ code: 'device', label: 'Device broken, lost or out of charge' },
	{ code: 'power', label: 'Power cut' },
	{ code: 'other', label: 'Other (say what)' }
];

/** Why a site goes back online. */
export const onlineReasons: readonly SwitchReason[] = [
	{ code: 'recovered', label: 'App working again' },
	{ code: 'device_replaced', label: 'Device replaced or recharged' },
	{ code: 'switched_in_error', label: 'Switched to paper by mistake' },
	{ code: 'other', label: 'Other (say what)' }
];

export const reasonCodes: readonly string[] = [
	...new Set([...manualReasons, ...onlineReasons].map((r) => r.code))
];

export function reasonLabel(code: string): string {
	return [...manualReasons, ...onlineReasons].find((r) => r.code === code)?.label ?? code;
}

/** POST /api/v1/sites/{code}/mode and POST /api/v1/sites/mode answer per site. */
export interface SiteSwitch {
	code: string;
	name: string;
	districtCode: string;
	from: SiteMode;
	to: SiteMode;
	/** False when the site was already in that mode (nothing recorded). */
	changed: boolean;
}

export interface SwitchAnswer {
	mode: SiteMode;
	changed: number;
	unchanged: number;
	sites: SiteSwitch[];
	/** Messages to the sites, queued for delivery (see GET /api/v1/fallback). */
	notifications: number;
}

/** POST /api/v1/sites/{code}/backfill */
export interface BackfillAnswer {
	accepted: number;
	duplicates: number;
	rejected: { line: number; error: string }[];
	/** Lines counted as duplicates (already held, or twice in the file). */
	duplicateLines: number[];
	/** Data rows read (blank lines not counted). */
	rows: number;
	/** True for a preview: nothing was written. */
	dryRun: boolean;
	/** The reconciliation report of a committed upload. */
	uploadId: string | null;
}

export interface BackfillUploadView {
	id: string;
	siteCode: string;
	at: string;
	actor: string;
	filename: string | null;
	rows: number;
	accepted: number;
	duplicates: number;
	rejected: number;
	episodeId: string | null;
}

export interface BackfillReport extends BackfillUploadView {
	rejectedRows: { line: number; error: string; raw: string | null }[];
	duplicateLines: number[];
}

export interface FallbackEpisodeView {
	id: string;
	siteCode: string;
	siteName: string;
	districtCode: string;
	stage: Exclude<FallbackStageName, 'online'>;
	manualAt: string;
	manualBy: string;
	reasonCode: string;
	reason: string;
	periods: { from: string; to: string | null }[];
	onlineAt: string | null;
	onlineBy: string | null;
	registerCount: number | null;
	/** Paper doses in the record: distinct doses of the uploads accepted or already held. */
	accounted: number;
	/** Doses planned while the site was on paper (capacity of its sessions, pro rata). */
	estimate: number;
	/** Paper doses still to come in: register (or estimate) less those accounted. */
	expected: number;
	uploads: number;
	reconciledAt: string | null;
	reconciledBy: string | null;
}

export interface DistrictFallbackView {
	code: string;
	name: string;
	sites: number;
	online: number;
	manual: number;
	backfilling: number;
	reconciled: number;
	/** Paper doses still expected across the district's fallbacks under way. */
	paperExpected: number;
}

export interface NotificationView {
	id: string;
	createdAt: string;
	siteCode: string;
	districtCode: string;
	kind: string;
	body: string;
	channel: string | null;
	status: 'pending' | 'sent' | 'failed';
	attempts: number;
	lastAttemptAt: string | null;
	sentAt: string | null;
	error: string | null;
}

/** GET /api/v1/fallback */
export interface FallbackSummary {
	at: string;
	districts: DistrictFallbackView[];
	/** Fallbacks under way, and those reconciled in the last 7 days. */
	episodes: FallbackEpisodeView[];
	/** Recent messages to sites, failed ones first. */
	notifications: NotificationView[];
	/** Where messages go: 'log' (only written to the server log) or 'webhook'. */
	notifier: string;
}

export interface AlertEventView {
	at: string;
	kind: 'opened' | 'grouped' | 'acknowledged' | 'assigned' | 'note' | 'resolved';
	actor: string;
	text: string | null;
}

/** GET /api/v1/alerts: an alert with its whole life. */
export interface AlertView {
	id: string;
	kind: string;
	status: 'open' | 'acknowledged' | 'resolved';
	openedAt: string;
	closedAt: string | null;
	districtCode: string | null;
	siteCode: string | null;
	parentId: string | null;
	summary: string;
	acknowledgedBy: string | null;
	acknowledgedAt: string | null;
	assignee: string | null;
	events: AlertEventView[];
}
