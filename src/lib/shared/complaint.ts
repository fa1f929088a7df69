/**
 * Complaints: the words, the workflow and the SLA rules shared by the server, the API and
 * the help-desk pages. Pure: every function that depends on time takes the clock.
 */

export const complaintChannels = ['phone', 'web', 'whatsapp', 'other'] as const;
export type ComplaintChannel = (typeof complaintChannels)[number];

export const complaintCategories = [
	'otp_not_received',
	'sms_not_received',
	'site_closed',
	'long_queue',
	'duplicate_registration',
	'wrong_details',
	'aefi',
	'other'
] as const;
export type ComplaintCategory = (typeof complaintCategories)[number];

export const complaintPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type ComplaintPriority = (typeof complaintPriorities)[number];

export const complaintStatuses = ['new', 'triaged', 'assigned', 'resolved', 'closed'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

/** What the help desk can ask an officer to do. */
export const complaintActionKinds = ['switch_manual', 'resend_sms', 'other'] as const;
export type ComplaintActionKind = (typeof complaintActionKinds)[number];

/** The alert kinds complaints raise in the officers' alert feed. */
export const COMPLAINT_SPIKE = 'complaint_spike';
export const HELPDESK_ACTION = 'helpdesk_action';
/** The quarantine label of complaint items the API refused (replayed through the complaint path). */
export const COMPLAINT_QUARANTINE = 'complaints';

export const channelLabels: Record<ComplaintChannel, string> = {
	phone: 'Phone',
	web: 'Web',
	whatsapp: 'WhatsApp',
	other: 'Other'
};

export const categoryLabels: Record<ComplaintCategory, string> = {
	otp_not_received: 'OTP not received',
	sms_not_received: 'SMS not received',
	site_closed: 'Site closed or not started',
	long_queue: 'Long queue',
	duplicate_registration: 'Duplicate registration',
	wrong_details: 'Wrong details',
	aefi: 'Adverse event after vaccination',
	other: 'Other'
};

export const priorityLabels: Record<ComplaintPriority, string> = {
	low: 'Low',
	normal: 'Normal',
	high: 'High',
	urgent: 'Urgent'
};

export const statusLabels: Record<ComplaintStatus, string> = {
	new: 'New',
	triaged: 'Triaged',
	assigned: 'Assigned',
	resolved: 'Resolved',
	closed: 'Closed'
};

export const actionLabels: Record<ComplaintActionKind, string> = {
	switch_manual: 'Switch the site to manual (paper) registration',
	resend_sms: 'Resend the SMS for the site',
	other: 'Other request'
};

/** The priority a complaint gets: an adverse event is always urgent; otherwise as asked, or normal. */
export function effectivePriority(
	category: ComplaintCategory,
	asked: ComplaintPriority | null | undefined
): ComplaintPriority {
	if (category === 'aefi') return 'urgent';
	return asked ?? 'normal';
}

// ---- workflow --------------------------------------------------------------------------

/**
 * The allowed status moves: new → triaged → assigned → resolved → closed, with the short
 * cuts a help desk takes (a caller answered on the phone is resolved at once) and reopening
 * a resolved complaint. Closed is final. Nothing goes back to new.
 */
export const complaintTransitions: Readonly<Record<ComplaintStatus, readonly ComplaintStatus[]>> = {
	new: ['triaged', 'assigned', 'resolved'],
	triaged: ['assigned', 'resolved'],
	assigned: ['triaged', 'resolved'],
	resolved: ['closed', 'triaged', 'assigned'],
	closed: []
};

export function canTransition(from: ComplaintStatus, to: ComplaintStatus): boolean {
	return complaintTransitions[from].includes(to);
}

/** Statuses still waiting for the help desk: the SLA clock runs. */
export function isOpenStatus(status: ComplaintStatus): boolean {
	return status === 'new' || status === 'triaged' || status === 'assigned';
}

/** A move out of resolved back into the queue. */
export function isReopening(from: ComplaintStatus, to: ComplaintStatus): boolean {
	return from === 'resolved' && isOpenStatus(to);
}

// ---- SLA ---------------------------------------------------------------------------------

/** Minutes from the complaint to the answer it is due, by priority (configuration). */
export type SlaMinutes = Record<ComplaintPriority, number>;

export const defaultSlaMinutes: SlaMinutes = { urgent: 15, high: 60, normal: 240, low: 1440 };

export function slaDueAt(openedAt: Date, priority: ComplaintPriority, minutes: SlaMinutes): Date {
	return new Date(openedAt.getTime() + minutes[priority] * 60_000);
}

/**
 * Where a complaint stands against its SLA:
 * - `ok` / `due_soon` (less than a fifth of its time left) / `breached`, while open;
 * - `met` / `missed`, once resolved (by whether it was resolved in time).
 */
export type SlaState = 'ok' | 'due_soon' | 'breached' | 'met' | 'missed';

export interface SlaReading {
	state: SlaState;
	/** Time left until due (negative: overdue), epoch ms difference; for open complaints. */
	remainingMs: number;
}

export function slaReading(
	c: { status: ComplaintStatus; at: string; slaDueAt: string; resolvedAt: string | null },
	nowMs: number
): SlaReading {
	const due = Date.parse(c.slaDueAt);
	if (!isOpenStatus(c.status)) {
		const resolved = c.resolvedAt ? Date.parse(c.resolvedAt) : nowMs;
		return { state: resolved <= due ? 'met' : 'missed', remainingMs: due - resolved };
	}
	const remainingMs = due - nowMs;
	if (remainingMs < 0) return { state: 'breached', remainingMs };
	const span = due - Date.parse(c.at);
	if (remainingMs <= span / 5) return { state: 'due_soon', remainingMs };
	return { state: 'ok', remainingMs };
}

/** "12 min", "2 h 05 min", "3 d 4 h": a duration as read out on a screen. */
export function formatDuration(ms: number): string {
	const minutes = Math.floor(Math.abs(ms) / 60_000);
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
	return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// ---- what the API and the live feed send ---------------------------------------------------

export interface ComplaintActionView {
	id: string;
	kind: ComplaintActionKind;
	/** requested → acknowledged → done (the officer resolved it, or the site's mode changed). */
	state: 'requested' | 'acknowledged' | 'done';
	siteCode: string | null;
	requestedAt: string;
}

/** A complaint as the API lists it and the live feed sends it. Times are ISO-8601. */
export interface ComplaintView {
	id: string;
	/** When the complaint was made (the caller's call), not when it was stored. */
	at: string;
	receivedAt: string;
	channel: ComplaintChannel;
	category: ComplaintCategory;
	siteCode: string | null;
	siteName: string | null;
	districtCode: string | null;
	callerPhone: string | null;
	notes: string | null;
	priority: ComplaintPriority;
	status: ComplaintStatus;
	assignee: string | null;
	slaDueAt: string;
	/** True while open and past its SLA due time, as of when it was read. */
	slaBreached: boolean;
	incidentId: string | null;
	incidentTitle: string | null;
	resolvedAt: string | null;
	closedAt: string | null;
	updatedAt: string;
	createdBy: string;
	/** The latest hand-off to an officer for this complaint (or its incident), if any. */
	action: ComplaintActionView | null;
}

export const eventKinds = [
	'created',
	'status',
	'assigned',
	'priority',
	'category',
	'site',
	'note',
	'linked',
	'unlinked',
	'action',
	'outcome'
] as const;
export type ComplaintEventKind = (typeof eventKinds)[number];

/** One line of a complaint's history. */
export interface ComplaintEventView {
	id: number;
	at: string;
	actor: string;
	kind: ComplaintEventKind;
	fromStatus: ComplaintStatus | null;
	toStatus: ComplaintStatus | null;
	note: string | null;
	detail: Record<string, unknown> | null;
}

/** A person a complaint may be assigned to. */
export interface Assignee {
	username: string;
	name: string;
	role: string;
	/** Districts a district officer works; empty: state-wide. */
	districts: string[];
}

export interface IncidentView {
	id: string;
	title: string;
	createdAt: string;
	createdBy: string;
	complaints: number;
	open: number;
}

/** What the queue can be narrowed to (API query and page URL alike). */
export interface ComplaintFilter {
	status?: ComplaintStatus | 'open';
	districtCode?: string;
	siteCode?: string;
	category?: ComplaintCategory;
	priority?: ComplaintPriority;
	assignee?: string;
	incidentId?: string;
	/** Free text: id, phone digits, notes, site code or name. */
	q?: string;
}

/** Whether a complaint belongs in a filtered list (for live updates of a list read with it). */
export function matchesFilter(c: ComplaintView, f: ComplaintFilter): boolean {
	if (f.status === 'open' ? !isOpenStatus(c.status) : f.status && c.status !== f.status)
		return false;
	if (f.districtCode && c.districtCode !== f.districtCode) return false;
	if (f.siteCode && c.siteCode !== f.siteCode) return false;
	if (f.category && c.category !== f.category) return false;
	if (f.priority && c.priority !== f.priority) return false;
	if (f.assignee && c.assignee !== f.assignee) return false;
	if (f.incidentId && c.incidentId !== f.incidentId) return false;
	if (f.q) {
		const q = f.q.trim().toLowerCase();
		const digits = q.replace(/\D/g, '');
		const text = [c.id, c.notes, c.siteCode, c.siteName].filter(Boolean).join(' ').toLowerCase();
		const phone = (c.callerPhone ?? '').replace(/\D/g, '');
		if (!text.includes(q) && !(digits.length >= 3 && phone.includes(digits))) return false;
	}
	return true;
}

/** Queue order: open before done, then the most urgent SLA first. */
export function compareForQueue(a: ComplaintView, b: ComplaintView): number {
	const openA = isOpenStatus(a.status) ? 0 : 1;
	const openB = isOpenStatus(b.status) ? 0 : 1;
	if (openA !== openB) return openA - openB;
	if (openA === 0) return Date.parse(a.slaDueAt) - Date.parse(b.slaDueAt);
	return Date.parse(b.updatedAt) - Date.parse(a.updatedAt);
}

// ---- caller's phone ------------------------------------------------------------------------

/**
 * A caller's phone number in one form, so the same caller is found whatever way it was
 * typed: '+91 98765-43210', '098765 43210' and '9876543210' are all '+919876543210'. A
 * number with its own country code keeps it. Null when it is not a phone number.
 */
export function normalisePhone(input: string): string | null {
	const s = input.trim();
	if (!/^\+?[\d\s().-]+$/.test(s)) return null;
	const digits = s.replace(/\D/g, '');
	if (s.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
	// An Indian number: 10 digits (mobiles start 6–9), with a trunk 0 or the 91 in front.
	if (digits.length === 10) return `+91${digits}`;
	if (digits.length === 11 && digits.startsWith('0')) return `+91${digits.slice(1)}`;
	if (digits.length === 12 && digits.startsWith('91')) return `+${digits}`;
	if (digits.length === 14 && digits.startsWith('0091')) return `+${digits.slice(2)}`;
	return null;
}

// ---- what the help desk sees about a site while a caller is on the line ---------------------

export interface SiteContextView {
	at: string;
	site: {
		code: string;
		name: string;
		districtCode: string;
		districtName: string;
		pincode: string | null;
		mode: 'online' | 'manual';
		/** When the site last switched mode (ISO-8601), if ever. */
		modeChangedAt: string | null;
		/** Derived as on the overview (null when the live picture does not hold the site). */
		status: 'active' | 'idle' | 'stalled' | 'manual' | 'closed' | null;
		/** Why it is stalled, in words. */
		cause: string | null;
		dosesToday: number;
		lastDoseAt: string | null;
		lastHeartbeatAt: string | null;
	};
	/** Today's sessions (the state's day), with their hours. */
	sessions: { startsAt: string; endsAt: string; capacity: number; vaccine: string | null }[];
	/** SMS sent today for the site, by outcome; OTP messages counted apart too. */
	sms: {
		sent: number;
		delivered: number;
		failed: number;
		pending: number;
		otpSent: number;
		otpFailed: number;
		/** The commonest failure reasons today. */
		reasons: { reason: string; n: number }[];
	};
	/** Open alerts about the site, its district, and service health incidents. */
	alerts: {
		id: string;
		kind: string;
		status: 'open' | 'acknowledged';
		openedAt: string;
		summary: string;
	}[];
	complaints: { open: number; total: number };
}
