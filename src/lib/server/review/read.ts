/**
 * What the review page, its print view and GET /api/v1/review read: one place, so the
 * page, the report and the API always show the same figures.
 */
import { inScope, type Scope } from '../auth/policy';
import type { Db } from '../db/client';
import {
	dosesByHour,
	dosesByVaccine,
	ensureReviewRollups,
	manualPeriodsInRange,
	plannedSessions,
	registeredAsOf,
	reviewDistricts,
	reviewRows,
	type ReviewQuery
} from '../db/queries/review';
import { listDistricts } from '../db/queries/site';
import {
	byVaccine,
	coverageOf,
	dailyTotals,
	datesBetween,
	hourlyPlan,
	summarise,
	summariseByDistrict,
	type DistrictReview,
	type ManualPeriodRow,
	type ReviewRow,
	type ReviewSummary,
	type VaccineDoseCount
} from '../../shared/review';
import type { ReviewParams } from '../../shared/review-params';
import { localDate } from '../../shared/time';

/** A review that cannot be answered as asked: 400 (bad district) or 403 (not yours). */
export class ReviewRequestError extends Error {
	constructor(
		readonly status: 400 | 403,
		message: string
	) {
		super(message);
	}
}

/**
 * The districts a review covers: those asked for (each must exist and be within the
 * caller's scope), or, when none is named, every district the caller may see (null: all).
 */
export async function resolveDistricts(
	db: Db,
	requested: readonly string[],
	scope: Scope
): Promise<string[] | null> {
	if (requested.length === 0) return scope.all ? null : [...scope.districts].sort();
	const known = new Set((await listDistricts(db)).map((d) => d.code));
	const unknown = requested.filter((d) => !known.has(d));
	if (unknown.length > 0) {
		throw new ReviewRequestError(400, `unknown district: ${unknown.join(', ')}`);
	}
	const outside = requested.filter((d) => !inScope(scope, d));
	if (outside.length > 0) {
		throw new ReviewRequestError(403, `forbidden: district ${outside.join(', ')} is not yours`);
	}
	return [...requested].sort();
}

/** The contract's rows (GET /api/v1/review), for the caller's scope. */
export async function readReviewRows(
	db: Db,
	opts: { params: ReviewParams; scope: Scope; timeZone: string; now: Date }
): Promise<ReviewRow[]> {
	const districts = await resolveDistricts(db, opts.params.districts, opts.scope);
	await ensureReviewRollups(db, opts.timeZone);
	return reviewRows(db, {
		from: opts.params.from,
		to: opts.params.to,
		districts,
		timeZone: opts.timeZone,
		now: opts.now
	});
}

export interface ReviewDistrict {
	code: string;
	name: string;
	approximate: boolean;
	/** GeoJSON Polygon or MultiPolygon, or null. */
	geometry: unknown;
}

export interface HourlyReview {
	date: string;
	/** Epoch ms of each local hour of the day. */
	hourMs: number[];
	doses: number[];
	/** Each district's target spread over its session hours (capacity where no target). */
	plan: number[];
	/** Whether any district of the selection has a target that day. */
	targetSet: boolean;
	/** The day is today: hours after now have no doses yet. */
	isToday: boolean;
}

export interface ReviewData {
	from: string;
	to: string;
	dates: string[];
	today: string;
	timeZone: string;
	generatedAt: string;
	/** The districts asked for (empty: all the caller may see). */
	requested: string[];
	/** The districts of the selection, by name. */
	districts: ReviewDistrict[];
	/** Every district the caller may choose from, by name. */
	choices: { code: string; name: string }[];
	rows: ReviewRow[];
	daily: ReviewRow[];
	byDistrict: DistrictReview[];
	total: ReviewSummary;
	byVaccine: VaccineDoseCount[];
	manual: ManualPeriodRow[];
	hourly: HourlyReview;
}

/** Everything the review page and its print view show. */
export async function readReview(
	db: Db,
	opts: { params: ReviewParams; scope: Scope; timeZone: string; now: Date }
): Promise<ReviewData> {
	const { params, scope, timeZone, now } = opts;
	const selected = await resolveDistricts(db, params.districts, scope);
	await ensureReviewRollups(db, timeZone);
	const q: ReviewQuery = {
		from: params.from,
		to: params.to,
		districts: selected,
		timeZone,
		now
	};
	const today = localDate(now, timeZone);
	// The hourly chart: today when the range holds it, else the range's last day.
	const hourlyDate = params.from <= today && today <= params.to ? today : params.to;
	const [rows, vaccineDoses, registered, manual, districts, all, hours, sessions] =
		await Promise.all([
			reviewRows(db, q),
			dosesByVaccine(db, q),
			registeredAsOf(db, q),
			manualPeriodsInRange(db, q),
			reviewDistricts(db, selected, { geometry: true }),
			listDistricts(db),
			dosesByHour(db, { date: hourlyDate, districts: selected, timeZone }),
			plannedSessions(db, { date: hourlyDate, districts: selected })
		]);
	const dates = datesBetween(params.from, params.to);
	const coverage = coverageOf(districts, vaccineDoses, registered);
	const extra = { manual, coverage, days: dates.length };

	const targets = new Map(
		rows.filter((r) => r.date === hourlyDate).map((r) => [r.district, r.target])
	);
	const { hourMs, plan } = hourlyPlan({
		date: hourlyDate,
		timeZone,
		sessions: sessions.map((s) => ({
			district: s.district,
			capacity: s.capacity,
			startsAtMs: s.startsAt?.getTime() ?? null,
			endsAtMs: s.endsAt?.getTime() ?? null
		})),
		targets
	});
	const dosesAt = new Map(hours.map((h) => [h.hourMs, h.doses]));

	return {
		from: params.from,
		to: params.to,
		dates,
		today,
		timeZone,
		generatedAt: now.toISOString(),
		requested: params.districts,
		districts: districts.map((d) => ({
			code: d.code,
			name: d.name,
			approximate: d.approximate,
			geometry: d.geometry
		})),
		choices: all.filter((d) => inScope(scope, d.code)),
		rows,
		daily: dailyTotals(dates, rows),
		byDistrict: summariseByDistrict(districts, rows, extra),
		total: summarise(rows, extra),
		byVaccine: byVaccine(vaccineDoses),
		manual,
		hourly: {
			date: hourlyDate,
			hourMs,
			doses: hourMs.map((ms) => dosesAt.get(ms) ?? 0),
			plan,
			targetSet: [...targets.values()].some((t) => t !== null),
			isToday: hourlyDate === today
		}
	};
}
