/**
 * The SMS failure board: delivery per district today, failures by reason over time, and
 * the worst sites, read from the rollups only (GET /api/v1/sms/board and the /sms page).
 */
import { smsReasonGroups, type SmsReasonGroup } from '../../shared/sms';
import { startOfLocalDay, localDate } from '../../shared/time';
import type { Db } from '../db/client';
import {
	outcomesOverTime,
	smsCountsByDistrict,
	worstSites,
	type BoardScope,
	type SmsCounts
} from '../db/queries/sms-ops';
import { listDistricts } from '../db/queries/site';

const MINUTE = 60_000;
const BUCKET_MS = 5 * MINUTE;

export interface BoardCounts {
	sent: number;
	delivered: number;
	/** Failed with a reason (all groups). */
	failed: number;
	byReason: Record<SmsReasonGroup, number>;
	noReport: number;
	awaiting: number;
	/** delivered / sent; null before anything was sent. */
	deliveryRate: number | null;
	/** (failed + no report) / (delivered + failed + no report); null before any outcome. */
	failureRate: number | null;
}

export interface BoardDistrict extends BoardCounts {
	code: string;
	name: string;
}

export interface BoardSite extends BoardCounts {
	code: string;
	name: string;
	districtCode: string;
	/** The reason most of its failures share ('no_report' included). */
	topReason: SmsReasonGroup | 'no_report' | null;
}

export interface SmsBoard {
	day: string;
	at: string;
	timeZone: string;
	noReportMinutes: number;
	totals: BoardCounts;
	districts: BoardDistrict[];
	worstSites: BoardSite[];
	/** Failures by reason per 5 minutes of the report's time, over `fromMs`..`toMs`. */
	overTime: {
		fromMs: number;
		toMs: number;
		bucketsMs: number[];
		series: Record<SmsReasonGroup, number[]>;
	};
}

export function emptyByReason(): Record<SmsReasonGroup, number> {
	return Object.fromEntries(smsReasonGroups.map((g) => [g, 0])) as Record<SmsReasonGroup, number>;
}

/** Rates and totals of raw counts. */
export function boardCounts(c: SmsCounts): BoardCounts {
	const byReason = emptyByReason();
	let failed = 0;
	for (const [reason, n] of Object.entries(c.failed)) {
		const group = (smsReasonGroups as readonly string[]).includes(reason)
			? (reason as SmsReasonGroup)
			: 'unknown';
		byReason[group] += n;
		failed += n;
	}
	const decided = c.delivered + failed + c.noReport;
	return {
		sent: c.sent,
		delivered: c.delivered,
		failed,
		byReason,
		noReport: c.noReport,
		awaiting: c.awaiting,
		deliveryRate: c.sent > 0 ? c.delivered / c.sent : null,
		failureRate: decided > 0 ? (failed + c.noReport) / decided : null
	};
}

function topReason(c: BoardCounts): BoardSite['topReason'] {
	let top: BoardSite['topReason'] = c.noReport > 0 ? 'no_report' : null;
	let most = c.noReport;
	for (const g of smsReasonGroups) {
		if (c.byReason[g] > most) {
			top = g;
			most = c.byReason[g];
		}
	}
	return top;
}

export interface BoardOptions {
	now: Date;
	timeZone: string;
	noReportMinutes: number;
	/** Districts the viewer may see (null: all). */
	districts: string[] | null;
	/** How far back the failures-over-time chart goes, in hours. */
	hours?: number;
	worstSites?: number;
}

/** The cut between `awaiting` and `no report`: pending messages sent before it have none. */
export function noReportCut(now: Date, noReportMinutes: number): Date {
	return new Date(Math.floor((now.getTime() - noReportMinutes * MINUTE) / MINUTE) * MINUTE);
}

export function boardScope(opts: BoardOptions): BoardScope {
	return {
		day: localDate(opts.now, opts.timeZone),
		dayStart: startOfLocalDay(opts.now, opts.timeZone),
		noReportCut: noReportCut(opts.now, opts.noReportMinutes),
		districts: opts.districts
	};
}

export async function readSmsBoard(db: Db, opts: BoardOptions): Promise<SmsBoard> {
	const scope = boardScope(opts);
	const toMs = Math.floor(opts.now.getTime() / BUCKET_MS) * BUCKET_MS + BUCKET_MS;
	const fromMs = toMs - (opts.hours ?? 6) * 60 * MINUTE;
	const [names, byDistrict, worst, buckets] = await Promise.all([
		listDistricts(db),
		smsCountsByDistrict(db, scope),
		worstSites(db, scope, opts.worstSites ?? 10),
		outcomesOverTime(db, { from: new Date(fromMs), to: new Date(toMs), districts: opts.districts })
	]);
	const visible = names.filter((d) => opts.districts === null || opts.districts.includes(d.code));
	const empty: SmsCounts = { sent: 0, delivered: 0, failed: {}, noReport: 0, awaiting: 0 };
	const districts = visible.map((d) => ({
		code: d.code,
		name: d.name,
		...boardCounts(byDistrict.get(d.code) ?? empty)
	}));
	const total: SmsCounts = { sent: 0, delivered: 0, failed: {}, noReport: 0, awaiting: 0 };
	for (const c of byDistrict.values()) {
		total.sent += c.sent;
		total.delivered += c.delivered;
		total.noReport += c.noReport;
		total.awaiting += c.awaiting;
		for (const [r, n] of Object.entries(c.failed)) total.failed[r] = (total.failed[r] ?? 0) + n;
	}
	const bucketsMs: number[] = [];
	for (let t = fromMs; t < toMs; t += BUCKET_MS) bucketsMs.push(t);
	const series = Object.fromEntries(
		smsReasonGroups.map((g) => [g, bucketsMs.map(() => 0)])
	) as Record<SmsReasonGroup, number[]>;
	for (const b of buckets) {
		if (b.outcome !== 'failed') continue;
		const i = Math.round((b.bucketMs - fromMs) / BUCKET_MS);
		const group = (smsReasonGroups as readonly string[]).includes(b.reason)
			? (b.reason as SmsReasonGroup)
			: 'unknown';
		if (i >= 0 && i < bucketsMs.length) series[group][i] += b.messages;
	}
	return {
		day: scope.day,
		at: opts.now.toISOString(),
		timeZone: opts.timeZone,
		noReportMinutes: opts.noReportMinutes,
		totals: boardCounts(total),
		districts,
		worstSites: worst.map((s) => {
			const counts = boardCounts(s);
			return {
				code: s.siteCode,
				name: s.name,
				districtCode: s.districtCode,
				...counts,
				topReason: topReason(counts)
			};
		}),
		overTime: { fromMs, toMs, bucketsMs, series }
	};
}
