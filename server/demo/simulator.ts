import type { FeedName } from '../../src/lib/shared/feeds';
import { parseFeedBody } from '../feeds/forms';
import type { Ingest } from '../feeds/ingest';
import type { Logger } from '../log';

/** A site as the simulator drives it. */
export interface SimSite {
	code: string;
	districtCode: string;
	/** Planned doses per hour while its session is open. */
	ratePerHour: number;
	opensMs: number;
	closesMs: number;
}

export interface SimAppointment {
	beneficiaryRef: string;
	siteCode: string;
	date: string;
	phone: string | null;
}

/** The scripted incidents of the field reports, in simulated minutes of each hour-long cycle. */
export interface Incident {
	kind: 'server_slowdown' | 'sites_quiet' | 'otp_outage';
	startMinute: number;
	minutes: number;
	/** Districts hit (sites_quiet, otp_outage). */
	districts: string[];
	/** How many sites per district go quiet. */
	sitesPerDistrict?: number;
}

export const launchDayScript: Incident[] = [
	// Maharashtra, eve of launch: the national server slows and appointment SMS fail.
	{ kind: 'server_slowdown', startMinute: 8, minutes: 18, districts: [] },
	// West Bengal: the app stops at sites, which carry on on paper and upload later.
	{
		kind: 'sites_quiet',
		startMinute: 14,
		minutes: 25,
		districts: ['505', '516'],
		sitesPerDistrict: 4
	},
	// Navi Mumbai and Panvel: the OTP never arrives, vaccination cannot start.
	{
		kind: 'otp_outage',
		startMinute: 30,
		minutes: 15,
		districts: ['517', '520'],
		sitesPerDistrict: 3
	}
];

export const healthTargets = ['national-server', 'sms-gateway', 'otp-service'] as const;

export interface SimulatorOptions {
	ingest: Ingest;
	log: Logger;
	timeZone: string;
	/** 1 is real time; 60 plays an hour of the script in a minute (event times stay real). */
	speed: number;
	sites: SimSite[];
	appointments: SimAppointment[];
	script?: Incident[];
	seed?: number;
	now?: () => Date;
	/** Files complaints as callers would make them, so the help desk's queue fills up too. */
	fileComplaints?: (items: object[]) => Promise<void>;
}

const CYCLE_MINUTES = 60;
const TICK_MS = 1000;

/** A small seeded PRNG (mulberry32): the same seed plays the same day. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Poisson-distributed count with mean `mean` (Knuth; means here are small). */
function poisson(mean: number, random: () => number): number {
	if (mean <= 0) return 0;
	if (mean > 30)
		return Math.max(
			0,
			Math.round(mean + Math.sqrt(mean) * (random() + random() + random() - 1.5) * 2)
		);
	const limit = Math.exp(-mean);
	let k = 0;
	let p = random();
	while (p > limit) {
		k++;
		p *= random();
	}
	return k;
}

/**
 * The launch-day simulator: doses, heartbeats, SMS and their reports, and health samples,
 * driven through the same ingest path the HTTP feeds use, with the field reports'
 * incidents played on a loop. Event times are real; SIM_SPEED compresses the script
 * and multiplies the rates.
 */
export class Simulator {
	private readonly random: () => number;
	private readonly now: () => Date;
	private readonly script: Incident[];
	private timer: NodeJS.Timeout | undefined;
	private startedMs = 0;
	private doseSeq = 0;
	private smsSeq = 0;
	private complaintSeq = 0;
	/** Complaints draw from their own sequence: the doses and SMS play the same with or without. */
	private readonly complaintRandom: () => number;
	/** Doses written on paper at quiet sites, uploaded when the site recovers. */
	private paper = new Map<string, object[]>();
	/** SMS sent and waiting for their delivery report: [due ms, report]. */
	private reportsDue: [number, object][] = [];
	private quietSites = new Set<string>();
	private stopped = false;
	private lastHeartbeatMs = 0;
	private lastHealthMs = 0;

	constructor(private readonly options: SimulatorOptions) {
		this.random = prng(options.seed ?? 2021);
		this.complaintRandom = prng((options.seed ?? 2021) + 1);
		this.now = options.now ?? (() => new Date());
		this.script = options.script ?? launchDayScript;
	}

	/**
	 * Play the day so far (doses since the sessions opened), then run live. Without
	 * history, only run live: the day was played already (a restart, or another node that
	 * ran the simulator until it stopped leading).
	 */
	async start(history = true): Promise<void> {
		this.startedMs = this.now().getTime();
		if (history) {
			await this.playHistory();
			await this.sendAppointmentSms();
		}
		this.schedule();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
	}

	/** Simulated minutes into the current script cycle. */
	cycleMinute(nowMs: number): number {
		const simMinutes = ((nowMs - this.startedMs) / 60_000) * this.options.speed;
		return simMinutes % CYCLE_MINUTES;
	}

	active(kind: Incident['kind'], nowMs: number): Incident | undefined {
		const m = this.cycleMinute(nowMs);
		return this.script.find(
			(i) => i.kind === kind && m >= i.startMinute && m < i.startMinute + i.minutes
		);
	}

	private schedule() {
		if (this.stopped) return;
		this.timer = setTimeout(() => {
			this.tick().catch((error) => this.options.log.warn({ err: error }, 'simulator tick failed'));
			this.schedule();
		}, TICK_MS);
	}

	private async post(feed: FeedName, items: object[]): Promise<void> {
		if (items.length === 0) return;
		const { parsed, form } = parseFeedBody(feed, JSON.stringify(items), 'application/json', {
			timeZone: this.options.timeZone
		});
		await this.options.ingest.submit(feed, { parsed, form, quarantine: true });
	}

	private dose(site: SimSite, atMs: number, source: 'live' | 'backfill') {
		this.doseSeq++;
		return {
			id: `SIM-${this.startedMs.toString(36)}-${this.doseSeq}`,
			siteCode: site.code,
			occurredAt: new Date(atMs).toISOString(),
			vaccine: this.random() < 0.85 ? 'COVISHIELD' : 'COVAXIN',
			dose: this.random() < 0.8 ? 1 : 2,
			beneficiaryRef: `SIM-B-${site.code}-${this.doseSeq}`,
			vaccinatorRef: `VAX-${site.code}-${1 + Math.floor(this.random() * 3)}`,
			source
		};
	}

	/** Doses from each session's opening until now, in minute steps, so charts start full. */
	private async playHistory() {
		const nowMs = this.startedMs;
		const batch: object[] = [];
		for (const site of this.options.sites) {
			for (let t = site.opensMs; t < Math.min(nowMs, site.closesMs); t += 60_000) {
				const n = poisson(site.ratePerHour / 60, this.random);
				for (let i = 0; i < n; i++) batch.push(this.dose(site, t + this.random() * 60_000, 'live'));
			}
		}
		for (let i = 0; i < batch.length; i += 2000) await this.post('doses', batch.slice(i, i + 2000));
		await this.post(
			'heartbeats',
			this.options.sites.map((s) => ({
				siteCode: s.code,
				at: new Date(nowMs).toISOString(),
				device: 'tablet-1'
			}))
		);
		this.options.log.info({ doses: batch.length }, 'simulator: played the day so far');
	}

	/** Appointment SMS for today's appointments; their reports arrive over the next minutes. */
	private async sendAppointmentSms() {
		const nowMs = this.startedMs;
		const messages = this.options.appointments.map((a) => {
			this.smsSeq++;
			const messageId = `SIM-SMS-${this.startedMs.toString(36)}-${this.smsSeq}`;
			const sentMs = nowMs - this.random() * 600_000;
			this.queueReport(messageId, sentMs, a.siteCode);
			return {
				messageId,
				beneficiaryRef: a.beneficiaryRef,
				siteCode: a.siteCode,
				kind: 'appointment',
				sentAt: new Date(sentMs).toISOString(),
				phone: a.phone ?? undefined,
				sessionDate: a.date,
				provider: 'demo-gateway'
			};
		});
		for (let i = 0; i < messages.length; i += 2000)
			await this.post('sms-messages', messages.slice(i, i + 2000));
	}

	private siteDistrict = new Map<string, string>();

	private queueReport(messageId: string, sentMs: number, siteCode: string) {
		const district =
			this.siteDistrict.get(siteCode) ??
			this.options.sites.find((s) => s.code === siteCode)?.districtCode ??
			'';
		this.siteDistrict.set(siteCode, district);
		const slow = this.active('server_slowdown', sentMs);
		const otp = this.active('otp_outage', sentMs);
		const roll = this.random();
		let status = 'delivered';
		let errorCode: string | undefined;
		let reason: string | undefined;
		if (otp?.districts.includes(district) && roll < 0.7) {
			[status, errorCode, reason] = ['undelivered', '30008', 'operator could not deliver'];
		} else if (slow && roll < 0.45) {
			[status, errorCode, reason] =
				roll < 0.3
					? ['expired', '30003', 'operator timeout']
					: ['failed', '30005', 'gateway error'];
		} else if (roll < 0.04) {
			[status, errorCode, reason] = ['failed', '30006', 'invalid number'];
		} else if (roll < 0.07) {
			// No report at all: the gateway never says (a failure for call lists later).
			return;
		}
		const delay = ((slow ? 120_000 : 15_000) * (0.5 + this.random())) / this.options.speed;
		this.reportsDue.push([
			sentMs + delay,
			{
				messageId,
				status,
				at: new Date(sentMs + delay).toISOString(),
				errorCode,
				reason,
				provider: 'demo-gateway'
			}
		]);
	}

	/**
	 * Callers: a trickle of every kind state-wide (about 30 an hour), people at quiet sites
	 * (about 4 an hour each), and during the OTP outage about 100 an hour from each district
	 * hit, which the help desk sees as a complaint spike.
	 */
	private complaints(nowMs: number, otp: Incident | undefined, quiet: Set<string>): object[] {
		const random = this.complaintRandom;
		const perTick = (perHour: number) => (perHour / 3600) * (TICK_MS / 1000) * this.options.speed;
		const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
		const out: object[] = [];
		const add = (siteCode: string, category: string) =>
			out.push({
				id: `SIM-C-${this.startedMs.toString(36)}-${++this.complaintSeq}`,
				at: new Date(nowMs - random() * TICK_MS).toISOString(),
				channel: random() < 0.75 ? 'phone' : 'whatsapp',
				category,
				siteCode,
				callerPhone: `9${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
				notes: 'Simulated caller'
			});
		const kinds = [
			'sms_not_received',
			'sms_not_received',
			'otp_not_received',
			'long_queue',
			'long_queue',
			'duplicate_registration',
			'wrong_details',
			'site_closed',
			'other'
		] as const;
		const sites = this.options.sites;
		for (let n = poisson(perTick(30), random); n > 0; n--) {
			add(pick(sites).code, random() < 0.01 ? 'aefi' : pick(kinds));
		}
		for (const code of quiet) {
			for (let n = poisson(perTick(4), random); n > 0; n--)
				add(code, random() < 0.5 ? 'site_closed' : 'long_queue');
		}
		for (const district of otp?.districts ?? []) {
			const hit = sites.filter((s) => s.districtCode === district);
			if (hit.length === 0) continue;
			for (let n = poisson(perTick(100), random); n > 0; n--)
				add(pick(hit).code, 'otp_not_received');
		}
		return out;
	}

	private async tick() {
		const nowMs = this.now().getTime();
		const speed = this.options.speed;
		const quiet = this.active('sites_quiet', nowMs);
		const otp = this.active('otp_outage', nowMs);
		const nowQuiet = new Set<string>();
		for (const incident of [quiet, otp]) {
			if (!incident) continue;
			for (const d of incident.districts) {
				this.options.sites
					.filter((s) => s.districtCode === d)
					.slice(0, incident.sitesPerDistrict ?? 3)
					.forEach((s) => nowQuiet.add(s.code));
			}
		}

		const doses: object[] = [];
		for (const site of this.options.sites) {
			if (nowMs < site.opensMs || nowMs >= site.closesMs) continue;
			const n = poisson((site.ratePerHour / 3600) * (TICK_MS / 1000) * speed, this.random);
			for (let i = 0; i < n; i++) {
				const dose = this.dose(
					site,
					nowMs - this.random() * TICK_MS,
					nowQuiet.has(site.code) ? 'backfill' : 'live'
				);
				if (nowQuiet.has(site.code)) {
					// The app is down at this site: the dose goes into the paper register.
					const held = this.paper.get(site.code) ?? [];
					held.push(dose);
					this.paper.set(site.code, held);
				} else doses.push(dose);
			}
		}
		// Duplicate deliveries: a vaccinator app resends part of what it already sent.
		if (doses.length > 0 && this.random() < 0.1) doses.push(...doses.slice(0, 2));
		await this.post('doses', doses);
		if (this.options.fileComplaints) {
			const complaints = this.complaints(nowMs, otp, nowQuiet);
			if (complaints.length) await this.options.fileComplaints(complaints);
		}

		// Paper records come back in once a quiet site recovers, with their original times.
		for (const code of this.quietSites) {
			if (nowQuiet.has(code)) continue;
			const held = this.paper.get(code) ?? [];
			this.paper.delete(code);
			await this.post('doses', held);
			if (held.length)
				this.options.log.info(
					{ site: code, doses: held.length },
					'simulator: paper records uploaded'
				);
		}
		this.quietSites = nowQuiet;

		if (nowMs - this.lastHeartbeatMs >= 60_000 / speed) {
			this.lastHeartbeatMs = nowMs;
			await this.post(
				'heartbeats',
				this.options.sites
					.filter((s) => !nowQuiet.has(s.code))
					.map((s) => ({ siteCode: s.code, at: new Date(nowMs).toISOString(), device: 'tablet-1' }))
			);
		}

		if (nowMs - this.lastHealthMs >= 15_000) {
			this.lastHealthMs = nowMs;
			await this.post('health', this.healthSamples(nowMs));
		}

		// A trickle of reminder SMS keeps the delivery picture moving.
		const reminders: object[] = [];
		for (let i = poisson(0.5 * speed, this.random); i > 0; i--) {
			const a =
				this.options.appointments[Math.floor(this.random() * this.options.appointments.length)];
			if (!a) break;
			this.smsSeq++;
			const messageId = `SIM-SMS-${this.startedMs.toString(36)}-${this.smsSeq}`;
			this.queueReport(messageId, nowMs, a.siteCode);
			reminders.push({
				messageId,
				beneficiaryRef: a.beneficiaryRef,
				siteCode: a.siteCode,
				kind: otp?.districts.includes(this.siteDistrict.get(a.siteCode) ?? '') ? 'otp' : 'reminder',
				sentAt: new Date(nowMs).toISOString(),
				phone: a.phone ?? undefined,
				sessionDate: a.date,
				provider: 'demo-gateway'
			});
		}
		await this.post('sms-messages', reminders);

		const due = this.reportsDue.filter(([at]) => at <= nowMs).map(([, r]) => r);
		this.reportsDue = this.reportsDue.filter(([at]) => at > nowMs);
		for (let i = 0; i < due.length; i += 2000)
			await this.post('sms-reports', due.slice(i, i + 2000));
	}

	private healthSamples(nowMs: number) {
		const slow = this.active('server_slowdown', nowMs);
		const otp = this.active('otp_outage', nowMs);
		const at = new Date(nowMs).toISOString();
		const jitter = () => Math.round(this.random() * 120);
		return [
			slow
				? this.random() < 0.3
					? { target: 'national-server', at, ok: false, detail: 'timeout after 10 s' }
					: {
							target: 'national-server',
							at,
							ok: true,
							latencyMs: 3500 + Math.round(this.random() * 5000)
						}
				: { target: 'national-server', at, ok: true, latencyMs: 180 + jitter() },
			{ target: 'sms-gateway', at, ok: true, latencyMs: (slow ? 2400 : 90) + jitter() },
			otp
				? {
						target: 'otp-service',
						at,
						ok: false,
						detail: 'OTP delivery failing in Thane and Raigad'
					}
				: { target: 'otp-service', at, ok: true, latencyMs: 140 + jitter() }
		];
	}
}
