import type { DoseRecord } from '../../src/lib/shared/feeds';
import type {
	AlertLive,
	DistrictLive,
	HealthLive,
	SiteLive,
	SiteStatus,
	Snapshot,
	Totals
} from '../../src/lib/shared/live';
import { deriveSiteStatus, type StallThresholds } from '../../src/lib/shared/status';
import { localDate, startOfLocalDay, addDays, zonedTime } from '../../src/lib/shared/time';

const MINUTE = 60_000;
/** Minute buckets per local day; 1,500 leaves room for a 25-hour day in zones with DST. */
const DAY_MINUTES = 1500;

export interface LiveSession {
	startsMs: number;
	endsMs: number;
	capacity: number;
}

interface SiteEntry {
	code: string;
	name: string;
	districtCode: string;
	lat: number | null;
	lon: number | null;
	mode: 'online' | 'manual';
	dosesToday: number;
	lastDoseAtMs: number | null;
	lastHeartbeatAtMs: number | null;
	/** When an officer last switched the site back online from paper (null: not since). */
	onlineSinceMs: number | null;
	sessions: LiveSession[];
	status: SiteStatus;
	cause: string | null;
	smsSent: number;
	smsFailed: number;
}

interface DistrictEntry {
	code: string;
	name: string;
	dosesToday: number;
	/** Doses per local minute of today, for "last hour" and hourly charts. */
	minutes: Int32Array;
	dosesLastHour: number;
	capacityPerHour: number;
	/** Capacity of all of today's sessions: the day's target. */
	plannedToday: number;
	statusCounts: Record<SiteStatus, number>;
	smsSent: number;
	smsFailed: number;
}

export interface LiveLoad {
	districts: { code: string; name: string }[];
	sites: {
		code: string;
		name: string;
		districtCode: string;
		lat: number | null;
		lon: number | null;
		mode: 'online' | 'manual';
		lastHeartbeatAt: Date | null;
		/** When the mode last changed (a switch back online starts a fresh stall window). */
		modeChangedAt?: Date | null;
	}[];
	sessions: {
		siteCode: string;
		date: string;
		capacity: number;
		startsAt: Date | null;
		endsAt: Date | null;
	}[];
	/** Per site and minute (small states and tests; the server reads the sums below). */
	rollups: { siteCode: string; minuteMs: number; doses: number }[];
	/** Today's doses per site, summed by the database. */
	siteDoses?: { siteCode: string; doses: number }[];
	/** Doses per district and minute over (at least) the last hour, summed by the database. */
	districtMinutes?: { districtCode: string; minuteMs: number; doses: number }[];
	lastDoses: Map<string, number>;
	sms: { siteCode: string; sent: number; failed: number }[];
	health: HealthLive[];
	alerts: AlertLive[];
}

export interface LiveOptions {
	timeZone: string;
	thresholds: StallThresholds;
	simulated: boolean;
	/** Default session hours when a plan gives no start or end. */
	defaultSessionHours?: { start: string; end: string };
}

export interface Changes {
	sites: Set<string>;
	districts: Set<string>;
	health: Set<string>;
	alerts: Set<string>;
	alertsClosed: Set<string>;
}

const emptyCounts = (): Record<SiteStatus, number> => ({
	active: 0,
	idle: 0,
	stalled: 0,
	manual: 0,
	closed: 0
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The live picture in memory: counters per site, district and state for the state's
 * current day. A cache of the database, rebuilt from it at start-up and at midnight;
 * it is changed only after a write commits.
 */
export class LiveState {
	readonly timeZone: string;
	readonly thresholds: StallThresholds;
	simulated: boolean;
	day = '';
	private dayStartMs = 0;
	private dayEndMs = 0;
	private sites = new Map<string, SiteEntry>();
	private districts = new Map<string, DistrictEntry>();
	private health = new Map<string, HealthLive>();
	private alerts = new Map<string, AlertLive>();
	private changes: Changes = newChanges();
	private readonly defaultHours: { start: string; end: string };

	constructor(options: LiveOptions) {
		this.timeZone = options.timeZone;
		this.thresholds = options.thresholds;
		this.simulated = options.simulated;
		this.defaultHours = options.defaultSessionHours ?? { start: '09:00', end: '17:00' };
	}

	/** The local day [start, end) that contains `now`. */
	dayBounds(now: Date): { day: string; start: Date; end: Date } {
		const day = localDate(now, this.timeZone);
		const start = startOfLocalDay(now, this.timeZone);
		const end = zonedTime(addDays(day, 1), '00:00', this.timeZone);
		return { day, start, end };
	}

	/** Replace everything with what the database holds for the day of `now`. */
	load(data: LiveLoad, now: Date): void {
		const { day, start, end } = this.dayBounds(now);
		this.day = day;
		this.dayStartMs = start.getTime();
		this.dayEndMs = end.getTime();
		this.districts = new Map(
			data.districts.map((d) => [
				d.code,
				{
					code: d.code,
					name: d.name,
					dosesToday: 0,
					minutes: new Int32Array(DAY_MINUTES),
					dosesLastHour: 0,
					capacityPerHour: 0,
					plannedToday: 0,
					statusCounts: emptyCounts(),
					smsSent: 0,
					smsFailed: 0
				}
			])
		);
		this.sites = new Map();
		for (const s of data.sites) this.addSite(s);
		for (const s of data.sessions) this.addSession(s.siteCode, s);
		for (const r of data.rollups) this.addDoseCount(r.siteCode, r.minuteMs, r.doses);
		// Millions of rollup rows arrive as 10,000 site sums and the last hour's minutes.
		for (const r of data.siteDoses ?? []) {
			const site = this.sites.get(r.siteCode);
			const district = site && this.districts.get(site.districtCode);
			if (!site || !district) continue;
			site.dosesToday += r.doses;
			district.dosesToday += r.doses;
		}
		for (const r of data.districtMinutes ?? []) {
			const district = this.districts.get(r.districtCode);
			const minute = Math.floor((r.minuteMs - this.dayStartMs) / MINUTE);
			if (district && minute >= 0 && minute < DAY_MINUTES) district.minutes[minute] += r.doses;
		}
		for (const [code, atMs] of data.lastDoses) {
			const site = this.sites.get(code);
			if (site) site.lastDoseAtMs = atMs;
		}
		for (const c of data.sms) {
			const site = this.sites.get(c.siteCode);
			const district = site && this.districts.get(site.districtCode);
			if (!site || !district) continue;
			site.smsSent += c.sent;
			site.smsFailed += c.failed;
			district.smsSent += c.sent;
			district.smsFailed += c.failed;
		}
		this.health = new Map(data.health.map((h) => [h.target, h]));
		this.alerts = new Map(data.alerts.map((a) => [a.id, a]));
		this.refresh(now);
		this.changes = newChanges();
	}

	/** True once `now` has left the day the counters belong to: time to reload. */
	isStale(now: Date): boolean {
		return now.getTime() >= this.dayEndMs || now.getTime() < this.dayStartMs;
	}

	hasSite(code: string): boolean {
		return this.sites.has(code);
	}

	siteDistrict(code: string): string | undefined {
		return this.sites.get(code)?.districtCode;
	}

	hasDistrict(code: string): boolean {
		return this.districts.has(code);
	}

	districtCodes(): string[] {
		return [...this.districts.keys()];
	}

	siteCodes(): string[] {
		return [...this.sites.keys()];
	}

	// ---- changes from committed writes -------------------------------------------

	upsertSite(s: LiveLoad['sites'][number]): void {
		const existing = this.sites.get(s.code);
		if (existing) {
			existing.name = s.name;
			existing.lat = s.lat ?? existing.lat;
			existing.lon = s.lon ?? existing.lon;
			this.changes.sites.add(s.code);
			return;
		}
		this.addSite(s);
	}

	/** A session planned for today (others are ignored: they belong to another day). */
	upsertSession(s: LiveLoad['sessions'][number] & { sessionId: string }): void {
		if (s.date !== this.day) return;
		const site = this.sites.get(s.siteCode);
		if (!site) return;
		// The latest plan for a session replaces the old one; keyed by its window.
		const window = this.sessionWindow(s);
		site.sessions = site.sessions.filter(
			(x) => !(x.startsMs === window.startsMs && x.endsMs === window.endsMs)
		);
		site.sessions.push(window);
		this.changes.sites.add(site.code);
	}

	applyDoses(doses: DoseRecord[]): void {
		for (const d of doses) {
			if (d.status !== 'completed') continue;
			this.addDoseCount(d.siteCode, d.occurredAt.getTime(), 1);
			this.noteLastDose(d.siteCode, d.occurredAt.getTime());
		}
	}

	withdrawDoses(doses: { siteCode: string; occurredAtMs: number }[]): void {
		for (const d of doses) this.addDoseCount(d.siteCode, d.occurredAtMs, -1);
	}

	/** n doses (negative: withdrawn) at `atMs` for a site; other days are not counted. */
	addDoses(siteCode: string, atMs: number, n: number): void {
		this.addDoseCount(siteCode, atMs, n);
	}

	/** A completed dose at `atMs`: the site's last dose when it is today's latest. */
	noteLastDose(siteCode: string, atMs: number): void {
		const site = this.sites.get(siteCode);
		if (!site || atMs < this.dayStartMs || atMs >= this.dayEndMs) return;
		if (site.lastDoseAtMs === null || atMs > site.lastDoseAtMs) {
			site.lastDoseAtMs = atMs;
			this.changes.sites.add(siteCode);
			// A stalled site that doses again is active on the next delta, not the next refresh.
			this.deriveSite(site, Date.now());
		}
	}

	/** SMS counter moves for messages sent at `sentAtMs` (today's counts only). */
	addSmsCounts(siteCode: string, sentAtMs: number, sent: number, failed: number): void {
		this.addSms(siteCode, sentAtMs, sent, failed);
	}

	applyHeartbeats(latest: Map<string, Date>): void {
		for (const [code, at] of latest) {
			const site = this.sites.get(code);
			if (!site) continue;
			if (site.lastHeartbeatAtMs === null || at.getTime() > site.lastHeartbeatAtMs) {
				site.lastHeartbeatAtMs = at.getTime();
				this.changes.sites.add(code);
			}
		}
	}

	/** Messages newly sent (today's count only). */
	applySmsSent(messages: { siteCode: string; sentAt: Date }[]): void {
		for (const m of messages) this.addSms(m.siteCode, m.sentAt.getTime(), 1, 0);
	}

	/** Status moves of messages: a move into or out of failure changes the failed count. */
	applySmsTransitions(moves: { siteCode: string; sentAtMs: number; failedDelta: number }[]): void {
		for (const m of moves)
			if (m.failedDelta !== 0) this.addSms(m.siteCode, m.sentAtMs, 0, m.failedDelta);
	}

	setHealth(h: HealthLive): void {
		this.health.set(h.target, h);
		this.changes.health.add(h.target);
	}

	setSiteMode(code: string, mode: 'online' | 'manual', now: Date): void {
		const site = this.sites.get(code);
		if (!site || site.mode === mode) return;
		site.mode = mode;
		site.onlineSinceMs = mode === 'online' ? now.getTime() : null;
		this.deriveSite(site, now.getTime());
		this.changes.sites.add(code);
	}

	upsertAlert(alert: AlertLive): void {
		this.alerts.set(alert.id, alert);
		this.changes.alerts.add(alert.id);
		this.changes.alertsClosed.delete(alert.id);
	}

	closeAlert(id: string): void {
		if (!this.alerts.delete(id)) return;
		this.changes.alerts.delete(id);
		this.changes.alertsClosed.add(id);
	}

	/**
	 * Re-derive what time alone changes: site statuses, doses in the last hour and the
	 * capacity of the sessions open now. Called on a timer.
	 */
	refresh(now: Date): void {
		const nowMs = now.getTime();
		for (const site of this.sites.values()) this.deriveSite(site, nowMs);
		const minuteNow = Math.floor((nowMs - this.dayStartMs) / MINUTE);
		for (const d of this.districts.values()) {
			let lastHour = 0;
			for (let m = Math.max(0, minuteNow - 59); m <= minuteNow && m < DAY_MINUTES; m++) {
				lastHour += d.minutes[m];
			}
			if (lastHour !== d.dosesLastHour) {
				d.dosesLastHour = lastHour;
				this.changes.districts.add(d.code);
			}
		}
		const capacity = new Map<string, number>();
		for (const site of this.sites.values()) {
			if (site.mode === 'manual') continue;
			for (const s of site.sessions) {
				if (s.startsMs <= nowMs && nowMs < s.endsMs) {
					const hours = Math.max(1, (s.endsMs - s.startsMs) / 3_600_000);
					capacity.set(
						site.districtCode,
						(capacity.get(site.districtCode) ?? 0) + s.capacity / hours
					);
				}
			}
		}
		const planned = new Map<string, number>();
		for (const site of this.sites.values()) {
			for (const s of site.sessions) {
				planned.set(site.districtCode, (planned.get(site.districtCode) ?? 0) + s.capacity);
			}
		}
		for (const d of this.districts.values()) {
			const c = Math.round(capacity.get(d.code) ?? 0);
			const p = planned.get(d.code) ?? 0;
			if (c !== d.capacityPerHour || p !== d.plannedToday) {
				d.capacityPerHour = c;
				d.plannedToday = p;
				this.changes.districts.add(d.code);
			}
		}
	}

	/**
	 * After a rebuild that clients have not seen: every site, district, health target and
	 * alert goes out in the next delta, and alerts no longer held are closed.
	 */
	markAllChanged(previousAlertIds: Iterable<string>): void {
		for (const code of this.sites.keys()) this.changes.sites.add(code);
		for (const code of this.districts.keys()) this.changes.districts.add(code);
		for (const target of this.health.keys()) this.changes.health.add(target);
		for (const id of this.alerts.keys()) this.changes.alerts.add(id);
		for (const id of previousAlertIds) if (!this.alerts.has(id)) this.changes.alertsClosed.add(id);
	}

	alertIds(): string[] {
		return [...this.alerts.keys()];
	}

	// ---- views ---------------------------------------------------------------------

	/** What changed since the last call; the caller builds one delta per scope from it. */
	takeChanges(): Changes {
		const taken = this.changes;
		this.changes = newChanges();
		return taken;
	}

	siteView(code: string): SiteLive | undefined {
		const s = this.sites.get(code);
		if (!s) return undefined;
		return {
			code: s.code,
			name: s.name,
			districtCode: s.districtCode,
			status: s.status,
			dosesToday: s.dosesToday,
			lastDoseAt: iso(s.lastDoseAtMs),
			lastHeartbeatAt: iso(s.lastHeartbeatAtMs),
			lat: s.lat,
			lon: s.lon
		};
	}

	districtView(code: string): DistrictLive | undefined {
		const d = this.districts.get(code);
		if (!d) return undefined;
		return {
			code: d.code,
			name: d.name,
			dosesToday: d.dosesToday,
			dosesLastHour: d.dosesLastHour,
			capacityPerHour: d.capacityPerHour,
			plannedToday: d.plannedToday,
			sitesActive: d.statusCounts.active,
			sitesIdle: d.statusCounts.idle,
			sitesStalled: d.statusCounts.stalled,
			sitesManual: d.statusCounts.manual,
			sitesClosed: d.statusCounts.closed,
			smsSent: d.smsSent,
			smsFailed: d.smsFailed
		};
	}

	healthView(target: string): HealthLive | undefined {
		return this.health.get(target);
	}

	alertView(id: string): AlertLive | undefined {
		return this.alerts.get(id);
	}

	/** Why a site is stalled (null when it is not). */
	siteCause(code: string): string | null {
		return this.sites.get(code)?.cause ?? null;
	}

	totals(districtFilter: Set<string> | null): Totals {
		const t: Totals = {
			dosesToday: 0,
			sitesActive: 0,
			sitesStalled: 0,
			sitesManual: 0,
			smsFailedToday: 0
		};
		for (const d of this.districts.values()) {
			if (districtFilter && !districtFilter.has(d.code)) continue;
			t.dosesToday += d.dosesToday;
			t.sitesActive += d.statusCounts.active;
			t.sitesStalled += d.statusCounts.stalled;
			t.sitesManual += d.statusCounts.manual;
			t.smsFailedToday += d.smsFailed;
		}
		return t;
	}

	/** The whole picture for one scope (all districts, or a district officer's). */
	snapshot(
		districtFilter: Set<string> | null,
		stream: { seq: number; epoch: string },
		now: Date
	): Snapshot {
		const inScope = (code: string | undefined) =>
			!districtFilter || (code !== undefined && districtFilter.has(code));
		const districts: DistrictLive[] = [];
		for (const code of this.districts.keys())
			if (inScope(code)) districts.push(this.districtView(code)!);
		const sites: SiteLive[] = [];
		for (const s of this.sites.values())
			if (inScope(s.districtCode)) sites.push(this.siteView(s.code)!);
		const alerts = [...this.alerts.values()].filter(
			(a) => !a.districtCode || inScope(a.districtCode)
		);
		return {
			seq: stream.seq,
			epoch: stream.epoch,
			at: now.toISOString(),
			day: this.day,
			timeZone: this.timeZone,
			simulated: this.simulated,
			thresholds: { ...this.thresholds },
			totals: this.totals(districtFilter),
			districts: districts.sort((a, b) => a.name.localeCompare(b.name)),
			sites,
			health: [...this.health.values()],
			alerts
		};
	}

	// ---- internals -------------------------------------------------------------------

	private addSite(s: LiveLoad['sites'][number]): void {
		if (!this.districts.has(s.districtCode)) return;
		const site: SiteEntry = {
			code: s.code,
			name: s.name,
			districtCode: s.districtCode,
			lat: s.lat,
			lon: s.lon,
			mode: s.mode,
			dosesToday: 0,
			lastDoseAtMs: null,
			lastHeartbeatAtMs: s.lastHeartbeatAt ? s.lastHeartbeatAt.getTime() : null,
			onlineSinceMs: s.mode === 'online' && s.modeChangedAt ? s.modeChangedAt.getTime() : null,
			sessions: [],
			status: 'closed',
			cause: null,
			smsSent: 0,
			smsFailed: 0
		};
		this.sites.set(s.code, site);
		this.countStatus(site, site.status, +1);
		this.changes.sites.add(s.code);
	}

	private addSession(siteCode: string, s: LiveLoad['sessions'][number]): void {
		if (s.date !== this.day) return;
		this.sites.get(siteCode)?.sessions.push(this.sessionWindow(s));
	}

	private sessionWindow(s: LiveLoad['sessions'][number]): LiveSession {
		const startsMs = (
			s.startsAt ?? zonedTime(s.date, this.defaultHours.start, this.timeZone)
		).getTime();
		const endsMs = (s.endsAt ?? zonedTime(s.date, this.defaultHours.end, this.timeZone)).getTime();
		return { startsMs, endsMs, capacity: s.capacity };
	}

	private addDoseCount(siteCode: string, atMs: number, n: number): void {
		if (atMs < this.dayStartMs || atMs >= this.dayEndMs) return;
		const site = this.sites.get(siteCode);
		const district = site && this.districts.get(site.districtCode);
		if (!site || !district) return;
		site.dosesToday += n;
		district.dosesToday += n;
		const minute = Math.floor((atMs - this.dayStartMs) / MINUTE);
		district.minutes[minute] += n;
		// Keep "last hour" current between refreshes (refresh recomputes it from the minutes).
		const minuteNow = Math.floor((Date.now() - this.dayStartMs) / MINUTE);
		if (minute > minuteNow - 60 && minute <= minuteNow) district.dosesLastHour += n;
		this.changes.sites.add(site.code);
		this.changes.districts.add(district.code);
	}

	private addSms(siteCode: string, sentAtMs: number, sent: number, failed: number): void {
		if (sentAtMs < this.dayStartMs || sentAtMs >= this.dayEndMs) return;
		const site = this.sites.get(siteCode);
		const district = site && this.districts.get(site.districtCode);
		if (!site || !district) return;
		site.smsSent += sent;
		site.smsFailed += failed;
		district.smsSent += sent;
		district.smsFailed += failed;
		this.changes.districts.add(district.code);
	}

	private deriveSite(site: SiteEntry, nowMs: number): void {
		let openSince: number | null = null;
		for (const s of site.sessions) {
			if (s.startsMs <= nowMs && nowMs < s.endsMs) {
				openSince = openSince === null ? s.startsMs : Math.min(openSince, s.startsMs);
			}
		}
		const derived = deriveSiteStatus(
			{
				mode: site.mode,
				openSince: openSince === null ? null : new Date(openSince),
				lastDoseAt: site.lastDoseAtMs === null ? null : new Date(site.lastDoseAtMs),
				lastHeartbeatAt: site.lastHeartbeatAtMs === null ? null : new Date(site.lastHeartbeatAtMs),
				onlineSince: site.onlineSinceMs === null ? null : new Date(site.onlineSinceMs)
			},
			new Date(nowMs),
			this.thresholds
		);
		site.cause = derived.cause;
		if (derived.status === site.status) return;
		this.countStatus(site, site.status, -1);
		site.status = derived.status;
		this.countStatus(site, site.status, +1);
		this.changes.sites.add(site.code);
	}

	private countStatus(site: SiteEntry, status: SiteStatus, n: number): void {
		const district = this.districts.get(site.districtCode);
		if (!district) return;
		district.statusCounts[status] += n;
		this.changes.districts.add(district.code);
	}
}

function newChanges(): Changes {
	return {
		sites: new Set(),
		districts: new Set(),
		health: new Set(),
		alerts: new Set(),
		alertsClosed: new Set()
	};
}
