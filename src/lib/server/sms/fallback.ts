/**
 * The fallback message of a site and date: the centre's name and its session hours, in
 * every language, ready to send to a WhatsApp group or read out on a call.
 */
import { fallbackMessages, type FallbackText } from '../../shared/sms-text';
import { localClock } from '../../shared/time';
import type { Db } from '../db/client';
import { siteSessionWindows } from '../db/queries/sms-ops';

/** Session hours when a plan gives none (docs/api.md: SessionPlan). */
export const DEFAULT_HOURS = '09:00-17:00';

/**
 * "09:00-13:00, 14:00-17:00": the site's sessions on the date in the state's zone, joined
 * with ASCII hyphens so an English text stays GSM-7.
 */
export function sessionHours(
	windows: { startsAtMs: number | null; endsAtMs: number | null }[],
	timeZone: string
): string {
	const spans = windows
		.filter((w) => w.startsAtMs !== null && w.endsAtMs !== null)
		.map(
			(w) =>
				`${localClock(new Date(w.startsAtMs!), timeZone)}-${localClock(new Date(w.endsAtMs!), timeZone)}`
		);
	return spans.length ? [...new Set(spans)].join(', ') : DEFAULT_HOURS;
}

export async function siteHours(
	db: Db,
	params: { siteCode: string; date: string; timeZone: string }
): Promise<string> {
	return sessionHours(await siteSessionWindows(db, params), params.timeZone);
}

export async function siteFallbackMessages(
	db: Db,
	params: { siteCode: string; siteName: string; date: string; timeZone: string }
): Promise<{ hours: string; texts: FallbackText[] }> {
	const hours = await siteHours(db, params);
	return {
		hours,
		texts: fallbackMessages({ centre: params.siteName, date: params.date, time: hours })
	};
}
