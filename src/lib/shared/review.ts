/**
 * The progress review's figures and the rules that sum them: one district on one day
 * (the contract's row), a district over a range, and the hourly plan. Isomorphic: the
 * server builds them, the pages show them, and both print and CSV use the same numbers.
 */
import { addDays, zonedTime } from './time';

/** One district on one day: the row of GET /api/v1/review (JSON and CSV). */
export interface ReviewRow {
	district: string;
	date: string;
	doses: number;
	/** Doses planned for the day; null when no target was set. */
	target: number | null;
	sessionsPlanned: number;
	/** Sessions on the day at sites that recorded at least one completed dose that day. */
	sessionsHeld: number;
	/** Messages sent that day (by sentAt) and how many of them are delivered now. */
	smsSent: number;
	smsDelivered: number;
	/** Sites that worked on paper (manual mode) at some time that day. */
	sitesWentManual: number;
	complaintsOpened: number;
	complaintsResolved: number;
}

/** The row's fields in contract order: the CSV header. */
export const reviewColumns = [
	'district',
	'date',
	'doses',
	'target',
	'sessionsPlanned',
	'sessionsHeld',
	'smsSent',
	'smsDelivered',
	'sitesWentManual',
	'complaintsOpened',
	'complaintsResolved'
] as const satisfies readonly (keyof ReviewRow)[];

export interface VaccineDoseCount {
	vaccine: string;
	/** Dose number; 0 when the sender did not say. */
	dose: number;
	doses: number;
}

export interface DistrictCoverage {
	district: string;
	/** The latest registered count given on or before the last day (null: none given). */
	registered: number | null;
	registeredOn: string | null;
	/** First doses given in the range. */
	firstDoses: number;
}

export interface ManualPeriodRow {
	siteCode: string;
	siteName: string;
	district: string;
	/** ISO-8601 instants; `to` is null while the site is still on paper. */
	from: string;
	to: string | null;
	/** Minutes of the period that fall inside the range. */
	minutesInRange: number;
}

/** A district (or the whole selection) over the range. */
export interface ReviewSummary {
	doses: number;
	/** Sum of the targets of the days that have one (null: no day has one). */
	target: number | null;
	/** Doses on the days that have a target: what the target is compared with. */
	dosesOnTargetDays: number;
	targetDays: number;
	days: number;
	/** Doses on target days as a % of the target (null without a target). */
	percentOfTarget: number | null;
	sessionsPlanned: number;
	sessionsHeld: number;
	smsSent: number;
	smsDelivered: number;
	/** Delivered as a % of sent (null when none was sent). */
	smsDeliveryRate: number | null;
	/** Distinct sites that worked on paper at some time in the range. */
	sitesWentManual: number;
	/** Minutes on paper inside the range, all those sites together. */
	manualMinutes: number;
	complaintsOpened: number;
	complaintsResolved: number;
	registered: number | null;
	firstDoses: number;
	/** First doses in the range as a % of the registered (null without a registered count). */
	coverage: number | null;
}

export interface DistrictReview extends ReviewSummary {
	code: string;
	name: string;
}

/** Each district's coverage: first doses in the range, and its latest registered count. */
export function coverageOf(
	districts: readonly { code: string }[],
	doses: readonly { district: string; dose: number; doses: number }[],
	registered: readonly { district: string; registered: number; date: string }[]
): DistrictCoverage[] {
	return districts.map((d) => {
		const r = registered.find((x) => x.district === d.code);
		return {
			district: d.code,
			registered: r?.registered ?? null,
			registeredOn: r?.date ?? null,
			firstDoses: doses
				.filter((x) => x.district === d.code && x.dose === 1)
				.reduce((sum, x) => sum + x.doses, 0)
		};
	});
}

/** Doses by vaccine and dose number, all districts together. */
export function byVaccine(
	doses: readonly { vaccine: string; dose: number; doses: number }[]
): VaccineDoseCount[] {
	const sums = new Map<string, VaccineDoseCount>();
	for (const d of doses) {
		const key = `${d.vaccine}|${d.dose}`;
		const held = sums.get(key);
		if (held) held.doses += d.doses;
		else sums.set(key, { vaccine: d.vaccine, dose: d.dose, doses: d.doses });
	}
	return [...sums.values()]
		.filter((v) => v.doses !== 0)
		.sort((a, b) => a.vaccine.localeCompare(b.vaccine) || a.dose - b.dose);
}

/** a / b as a percentage, or null when b is 0 or unknown. */
export function percent(a: number, b: number | null): number | null {
	if (b === null || b === 0) return null;
	return (a / b) * 100;
}

/** Sum up rows (any districts, any days) into one summary. */
export function summarise(
	rows: readonly ReviewRow[],
	extra: {
		manual: readonly ManualPeriodRow[];
		coverage: readonly DistrictCoverage[];
		days: number;
	}
): ReviewSummary {
	let doses = 0;
	let target: number | null = null;
	let dosesOnTargetDays = 0;
	let sessionsPlanned = 0;
	let sessionsHeld = 0;
	let smsSent = 0;
	let smsDelivered = 0;
	let complaintsOpened = 0;
	let complaintsResolved = 0;
	const targetDates = new Set<string>();
	for (const r of rows) {
		doses += r.doses;
		if (r.target !== null) {
			target = (target ?? 0) + r.target;
			dosesOnTargetDays += r.doses;
			targetDates.add(r.date);
		}
		sessionsPlanned += r.sessionsPlanned;
		sessionsHeld += r.sessionsHeld;
		smsSent += r.smsSent;
		smsDelivered += r.smsDelivered;
		complaintsOpened += r.complaintsOpened;
		complaintsResolved += r.complaintsResolved;
	}
	let registered: number | null = null;
	let firstDoses = 0;
	let firstDosesOfRegistered = 0;
	for (const c of extra.coverage) {
		firstDoses += c.firstDoses;
		if (c.registered !== null) {
			registered = (registered ?? 0) + c.registered;
			firstDosesOfRegistered += c.firstDoses;
		}
	}
	return {
		doses,
		target,
		dosesOnTargetDays,
		targetDays: targetDates.size,
		days: extra.days,
		percentOfTarget: percent(dosesOnTargetDays, target),
		sessionsPlanned,
		sessionsHeld,
		smsSent,
		smsDelivered,
		smsDeliveryRate: percent(smsDelivered, smsSent),
		sitesWentManual: new Set(extra.manual.map((m) => m.siteCode)).size,
		manualMinutes: extra.manual.reduce((sum, m) => sum + m.minutesInRange, 0),
		complaintsOpened,
		complaintsResolved,
		registered,
		firstDoses,
		// Only districts that gave a registered count take part in the share.
		coverage: percent(firstDosesOfRegistered, registered)
	};
}

/** Each district's summary, in the order of `districts`. */
export function summariseByDistrict(
	districts: readonly { code: string; name: string }[],
	rows: readonly ReviewRow[],
	extra: {
		manual: readonly ManualPeriodRow[];
		coverage: readonly DistrictCoverage[];
		days: number;
	}
): DistrictReview[] {
	return districts.map((d) => ({
		code: d.code,
		name: d.name,
		...summarise(
			rows.filter((r) => r.district === d.code),
			{
				manual: extra.manual.filter((m) => m.district === d.code),
				coverage: extra.coverage.filter((c) => c.district === d.code),
				days: extra.days
			}
		)
	}));
}

/** The selection's figures for each day, all districts together. */
export function dailyTotals(dates: readonly string[], rows: readonly ReviewRow[]): ReviewRow[] {
	const byDate = new Map<string, ReviewRow>();
	for (const date of dates) {
		byDate.set(date, {
			district: '',
			date,
			doses: 0,
			target: null,
			sessionsPlanned: 0,
			sessionsHeld: 0,
			smsSent: 0,
			smsDelivered: 0,
			sitesWentManual: 0,
			complaintsOpened: 0,
			complaintsResolved: 0
		});
	}
	for (const r of rows) {
		const t = byDate.get(r.date);
		if (!t) continue;
		t.doses += r.doses;
		if (r.target !== null) t.target = (t.target ?? 0) + r.target;
		t.sessionsPlanned += r.sessionsPlanned;
		t.sessionsHeld += r.sessionsHeld;
		t.smsSent += r.smsSent;
		t.smsDelivered += r.smsDelivered;
		t.sitesWentManual += r.sitesWentManual;
		t.complaintsOpened += r.complaintsOpened;
		t.complaintsResolved += r.complaintsResolved;
	}
	return [...byDate.values()];
}

export interface PlanSession {
	district: string;
	capacity: number;
	startsAtMs: number | null;
	endsAtMs: number | null;
}

/** Sessions without times run 09:00–17:00 local time, as the live picture assumes. */
export const defaultSessionHours = { start: '09:00', end: '17:00' };

const HOUR = 3_600_000;

/**
 * The hourly plan of one day: each district's target spread over the hours of its
 * sessions in proportion to their planned capacity (a session's capacity spread evenly
 * over its hours); a district without a target plans its capacity. Returns one value per
 * local hour, starting at the day's local midnight.
 */
export function hourlyPlan(params: {
	date: string;
	timeZone: string;
	sessions: readonly PlanSession[];
	/** Target per district for the day (absent or null: none). */
	targets: ReadonlyMap<string, number | null>;
}): { hourMs: number[]; plan: number[] } {
	const start = zonedTime(params.date, '00:00', params.timeZone).getTime();
	const hours = Math.round(
		(zonedTime(addDays(params.date, 1), '00:00', params.timeZone).getTime() - start) / HOUR
	);
	const hourMs = Array.from({ length: hours }, (_, i) => start + i * HOUR);
	const byDistrict = new Map<string, number[]>();
	for (const s of params.sessions) {
		const from =
			s.startsAtMs ?? zonedTime(params.date, defaultSessionHours.start, params.timeZone).getTime();
		const to =
			s.endsAtMs ?? zonedTime(params.date, defaultSessionHours.end, params.timeZone).getTime();
		if (!(to > from) || s.capacity <= 0) continue;
		const perMs = s.capacity / (to - from);
		let share = byDistrict.get(s.district);
		if (!share) byDistrict.set(s.district, (share = new Array<number>(hours).fill(0)));
		for (let h = 0; h < hours; h++) {
			const overlap = Math.min(to, hourMs[h] + HOUR) - Math.max(from, hourMs[h]);
			if (overlap > 0) share[h] += overlap * perMs;
		}
	}
	const plan = new Array<number>(hours).fill(0);
	for (const [district, capacity] of byDistrict) {
		const total = capacity.reduce((a, b) => a + b, 0);
		if (total <= 0) continue;
		const target = params.targets.get(district) ?? null;
		const scale = target === null ? 1 : target / total;
		for (let h = 0; h < hours; h++) plan[h] += capacity[h] * scale;
	}
	return { hourMs, plan };
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
	return out;
}
