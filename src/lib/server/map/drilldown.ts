/**
 * The district and site drill-down, read in one place so the API and any page agree:
 * GET /api/v1/districts/{code}/throughput and GET /api/v1/sites/{code}/activity.
 */
import type { Db } from '../db/client';
import {
	districtName,
	dosesPerBucket,
	modeSwitches,
	plannedSessions,
	siteDetail,
	siteDoseTimes,
	siteHeartbeatTimes,
	siteSmsOutcomes,
	timelineAlerts
} from '../db/queries/throughput';
import type { DistrictThroughput, SiteActivity } from '../../shared/map';
import type { StallThresholds } from '../../shared/status';
import { addDays, localDate, zonedTime } from '../../shared/time';
import { planPerBucket, sessionWindows, smsOutcome, statusHistory, timelineEvents } from './series';

const HOUR = 3_600_000;
const QUARTER = 15 * 60_000;
/** Enough for a launch day's events on one chart; the list says when more were held. */
const TIMELINE_LIMIT = 300;

function dayOf(now: Date, timeZone: string) {
	const day = localDate(now, timeZone);
	const start = zonedTime(day, '00:00', timeZone);
	const end = zonedTime(addDays(day, 1), '00:00', timeZone);
	return { day, start, end };
}

/** Doses per local hour today against plan and against the same hour yesterday. */
export async function readDistrictThroughput(
	db: Db,
	params: { code: string; now: Date; timeZone: string }
): Promise<DistrictThroughput | null> {
	const district = await districtName(db, params.code);
	if (!district) return null;
	const { day, start, end } = dayOf(params.now, params.timeZone);
	const yesterday = addDays(day, -1);
	const yStart = zonedTime(yesterday, '00:00', params.timeZone);
	const filter = { districtCode: params.code };
	const [today, before, sessions, switches, alerts] = await Promise.all([
		dosesPerBucket(db, { ...filter, from: start, to: end, bucketMs: HOUR }),
		dosesPerBucket(db, { ...filter, from: yStart, to: start, bucketMs: HOUR }),
		plannedSessions(db, { ...filter, date: day }),
		modeSwitches(db, { ...filter, from: start, to: end, limit: TIMELINE_LIMIT }),
		timelineAlerts(db, { ...filter, from: start, to: end, limit: TIMELINE_LIMIT })
	]);
	const hours = Math.round((end.getTime() - start.getTime()) / HOUR);
	const plan = planPerBucket(sessionWindows(sessions, day, params.timeZone), {
		fromMs: start.getTime(),
		bucketMs: HOUR,
		buckets: hours
	});
	return {
		code: params.code,
		name: district.name,
		day,
		timeZone: params.timeZone,
		approximate: district.approximate,
		hours: Array.from({ length: hours }, (_, h) => ({
			start: new Date(start.getTime() + h * HOUR).toISOString(),
			doses: today.get(h) ?? 0,
			plan: plan[h],
			yesterday: before.get(h) ?? 0
		})),
		timeline: timelineEvents(switches, alerts),
		at: params.now.toISOString()
	};
}

/** A site's day: doses per 15 minutes, status through the day, heartbeats, SMS, decisions. */
export async function readSiteActivity(
	db: Db,
	params: { code: string; now: Date; timeZone: string; thresholds: StallThresholds }
): Promise<SiteActivity | null> {
	const site = await siteDetail(db, params.code);
	if (!site) return null;
	const { day, start, end } = dayOf(params.now, params.timeZone);
	const filter = { siteCode: params.code };
	const [quarters, sessions, doses, beats, sms, switches, alerts] = await Promise.all([
		dosesPerBucket(db, { ...filter, from: start, to: end, bucketMs: QUARTER }),
		plannedSessions(db, { ...filter, date: day }),
		siteDoseTimes(db, { ...filter, from: start, to: end }),
		siteHeartbeatTimes(db, { ...filter, from: start, to: end }),
		siteSmsOutcomes(db, { ...filter, from: start, to: end }),
		modeSwitches(db, { ...filter, from: start, to: end, limit: TIMELINE_LIMIT }),
		timelineAlerts(db, { ...filter, from: start, to: end, limit: TIMELINE_LIMIT })
	]);
	const windows = sessionWindows(sessions, day, params.timeZone);
	const buckets = Math.round((end.getTime() - start.getTime()) / QUARTER);
	const plan = planPerBucket(windows, { fromMs: start.getTime(), bucketMs: QUARTER, buckets });
	const nowMs = Math.min(Math.max(params.now.getTime(), start.getTime()), end.getTime());
	return {
		code: site.code,
		name: site.name,
		districtCode: site.districtCode,
		districtName: site.districtName,
		mode: site.mode,
		modeChangedAt: site.modeChangedAt?.toISOString() ?? null,
		lastHeartbeatAt: site.lastHeartbeatAt?.toISOString() ?? null,
		heartbeatsToday: beats.times.length,
		lat: site.lat,
		lon: site.lon,
		day,
		timeZone: params.timeZone,
		quarterHours: Array.from({ length: buckets }, (_, q) => ({
			start: new Date(start.getTime() + q * QUARTER).toISOString(),
			doses: quarters.get(q) ?? 0,
			plan: plan[q]
		})),
		statusHistory: statusHistory(
			{
				windows,
				doses,
				heartbeats: beats.times,
				heartbeatBefore: beats.before,
				switches: switches
					.filter((s) => s.to !== null)
					.map((s) => ({ atMs: s.at.getTime(), to: s.to! })),
				modeNow: site.mode
			},
			{ fromMs: start.getTime(), toMs: nowMs, thresholds: params.thresholds }
		),
		sms: smsOutcome(sms),
		timeline: timelineEvents(switches, alerts),
		at: params.now.toISOString()
	};
}
