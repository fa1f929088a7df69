import type { AlertLive, HealthLive } from '../../src/lib/shared/live';
import type { LiveState } from './state';

const MINUTE = 60_000;

export interface LiveSiteRow {
	code: string;
	name: string;
	districtCode: string;
	lat: number | null;
	lon: number | null;
}

export interface LiveSessionRow {
	sessionId: string;
	siteCode: string;
	date: string;
	capacity: number;
	/** Epoch ms, or null for the default session hours. */
	startsAtMs: number | null;
	endsAtMs: number | null;
}

/**
 * What a committed write did to the live picture, as plain JSON: it is applied to this
 * node's live state and sent as is to the other nodes, which apply it to theirs. Every
 * part is an increment or a "latest wins", so changes from several nodes may arrive in
 * any order and still add up to what the database holds.
 */
export interface LiveChange {
	/** Dose count moves per site: flat pairs [epoch minute, n, …]; n < 0 for withdrawals. */
	doses?: Record<string, number[]>;
	/** The latest completed dose per site, epoch ms. */
	lastDose?: Record<string, number>;
	/** Sites created or renamed. */
	sites?: LiveSiteRow[];
	sessions?: LiveSessionRow[];
	/** SMS counter moves: [site, epoch minute of sentAt, sent delta, failed delta]. */
	sms?: [string, number, number, number][];
	/** The latest heartbeat per site, epoch ms. */
	heartbeats?: Record<string, number>;
	/** Health by target; applied when not older than what is held. */
	health?: HealthLive[];
	/** Sites switched to or from their manual fallback. */
	modes?: Record<string, 'online' | 'manual'>;
	alerts?: AlertLive[];
	alertsClosed?: string[];
}

/**
 * Collects live changes (one write's, or many coalesced for another node) into one
 * compact LiveChange: dose moves summed per site and minute, latest values kept.
 */
export class ChangeBuilder {
	/** Per site, flat pairs [minute, n, …]: most sites see one minute per batch. */
	private doses = new Map<string, number[]>();
	private lastDose = new Map<string, number>();
	private sites = new Map<string, LiveSiteRow>();
	private sessions = new Map<string, LiveSessionRow>();
	private sms = new Map<string, [string, number, number, number]>();
	private heartbeats = new Map<string, number>();
	private health = new Map<string, HealthLive>();
	private modes = new Map<string, 'online' | 'manual'>();
	private alerts = new Map<string, AlertLive>();
	private alertsClosed = new Set<string>();
	private empty = true;

	/** n doses (negative: withdrawn) at `atMs` for a site. */
	dose(siteCode: string, atMs: number, n: number): this {
		this.doseMinute(siteCode, Math.floor(atMs / MINUTE), n);
		return this;
	}

	/** A completed dose's time: the site's last dose when it is the latest. */
	lastDoseAt(siteCode: string, atMs: number): this {
		const held = this.lastDose.get(siteCode);
		if (held === undefined || atMs > held) this.lastDose.set(siteCode, atMs);
		this.empty = false;
		return this;
	}

	site(row: LiveSiteRow): this {
		this.sites.set(row.code, row);
		this.empty = false;
		return this;
	}

	session(row: LiveSessionRow): this {
		this.sessions.set(row.sessionId, row);
		this.empty = false;
		return this;
	}

	smsMove(siteCode: string, sentAtMs: number, sent: number, failed: number): this {
		if (sent === 0 && failed === 0) return this;
		const minute = Math.floor(sentAtMs / MINUTE);
		const key = `${siteCode}\u0000${minute}`;
		const held = this.sms.get(key);
		if (held) {
			held[2] += sent;
			held[3] += failed;
		} else this.sms.set(key, [siteCode, minute, sent, failed]);
		this.empty = false;
		return this;
	}

	heartbeat(siteCode: string, atMs: number): this {
		const held = this.heartbeats.get(siteCode);
		if (held === undefined || atMs > held) this.heartbeats.set(siteCode, atMs);
		this.empty = false;
		return this;
	}

	healthOf(h: HealthLive): this {
		const held = this.health.get(h.target);
		if (!held || !held.at || !h.at || Date.parse(held.at) <= Date.parse(h.at))
			this.health.set(h.target, h);
		this.empty = false;
		return this;
	}

	mode(siteCode: string, mode: 'online' | 'manual'): this {
		this.modes.set(siteCode, mode);
		this.empty = false;
		return this;
	}

	alert(alert: AlertLive): this {
		this.alerts.set(alert.id, alert);
		this.alertsClosed.delete(alert.id);
		this.empty = false;
		return this;
	}

	alertClosed(id: string): this {
		this.alerts.delete(id);
		this.alertsClosed.add(id);
		this.empty = false;
		return this;
	}

	/** Fold in a change built elsewhere (coalescing before sending to other nodes). */
	add(change: LiveChange): this {
		for (const [site, pairs] of Object.entries(change.doses ?? {})) {
			for (let i = 0; i + 1 < pairs.length; i += 2) this.doseMinute(site, pairs[i], pairs[i + 1]);
		}
		for (const [site, at] of Object.entries(change.lastDose ?? {})) this.lastDoseAt(site, at);
		for (const s of change.sites ?? []) this.site(s);
		for (const s of change.sessions ?? []) this.session(s);
		for (const [site, minute, sent, failed] of change.sms ?? [])
			this.smsMove(site, minute * MINUTE, sent, failed);
		for (const [site, at] of Object.entries(change.heartbeats ?? {})) this.heartbeat(site, at);
		for (const h of change.health ?? []) this.healthOf(h);
		for (const [site, mode] of Object.entries(change.modes ?? {})) this.mode(site, mode);
		for (const id of change.alertsClosed ?? []) this.alertClosed(id);
		for (const a of change.alerts ?? []) this.alert(a);
		return this;
	}

	get isEmpty(): boolean {
		return this.empty;
	}

	/** The change collected so far, or null when nothing was; the builder starts over. */
	take(): LiveChange | null {
		if (this.empty) return null;
		const change: LiveChange = {};
		if (this.doses.size) {
			change.doses = {};
			for (const [site, pairs] of this.doses) {
				let kept = pairs;
				for (let i = 1; i < pairs.length; i += 2) {
					if (pairs[i] === 0) {
						kept = pairs.filter((_, j) => pairs[j - (j % 2) + 1] !== 0);
						break;
					}
				}
				if (kept.length) change.doses[site] = kept;
			}
		}
		if (this.lastDose.size) change.lastDose = Object.fromEntries(this.lastDose);
		if (this.sites.size) change.sites = [...this.sites.values()];
		if (this.sessions.size) change.sessions = [...this.sessions.values()];
		if (this.sms.size) change.sms = [...this.sms.values()];
		if (this.heartbeats.size) change.heartbeats = Object.fromEntries(this.heartbeats);
		if (this.health.size) change.health = [...this.health.values()];
		if (this.modes.size) change.modes = Object.fromEntries(this.modes);
		if (this.alerts.size) change.alerts = [...this.alerts.values()];
		if (this.alertsClosed.size) change.alertsClosed = [...this.alertsClosed];
		this.reset();
		return change;
	}

	private doseMinute(siteCode: string, minute: number, n: number): void {
		this.empty = false;
		const pairs = this.doses.get(siteCode);
		if (!pairs) {
			this.doses.set(siteCode, [minute, n]);
			return;
		}
		for (let i = 0; i < pairs.length; i += 2) {
			if (pairs[i] === minute) {
				pairs[i + 1] += n;
				return;
			}
		}
		pairs.push(minute, n);
	}

	private reset(): void {
		this.doses = new Map();
		this.lastDose = new Map();
		this.sites = new Map();
		this.sessions = new Map();
		this.sms = new Map();
		this.heartbeats = new Map();
		this.health = new Map();
		this.modes = new Map();
		this.alerts = new Map();
		this.alertsClosed = new Set();
		this.empty = true;
	}
}

/**
 * Apply a committed change to a live state: this node's own writes, and those other
 * nodes send. Sites come first, so doses for a site created in the same change count.
 */
export function applyChange(live: LiveState, change: LiveChange, now = new Date()): void {
	for (const s of change.sites ?? []) {
		live.upsertSite({ ...s, mode: 'online', lastHeartbeatAt: null });
	}
	for (const s of change.sessions ?? []) {
		live.upsertSession({
			sessionId: s.sessionId,
			siteCode: s.siteCode,
			date: s.date,
			capacity: s.capacity,
			startsAt: s.startsAtMs === null ? null : new Date(s.startsAtMs),
			endsAt: s.endsAtMs === null ? null : new Date(s.endsAtMs)
		});
	}
	for (const [site, pairs] of Object.entries(change.doses ?? {})) {
		for (let i = 0; i + 1 < pairs.length; i += 2)
			live.addDoses(site, pairs[i] * MINUTE, pairs[i + 1]);
	}
	for (const [site, at] of Object.entries(change.lastDose ?? {})) live.noteLastDose(site, at);
	for (const [site, minute, sent, failed] of change.sms ?? [])
		live.addSmsCounts(site, minute * MINUTE, sent, failed);
	if (change.heartbeats) {
		live.applyHeartbeats(
			new Map(Object.entries(change.heartbeats).map(([site, at]) => [site, new Date(at)]))
		);
	}
	for (const h of change.health ?? []) {
		const current = live.healthView(h.target);
		if (!current?.at || !h.at || new Date(current.at) <= new Date(h.at)) live.setHealth(h);
	}
	for (const [site, mode] of Object.entries(change.modes ?? {})) live.setSiteMode(site, mode, now);
	for (const id of change.alertsClosed ?? []) live.closeAlert(id);
	for (const a of change.alerts ?? []) live.upsertAlert(a);
}
