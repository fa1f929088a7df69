import { error } from '@sveltejs/kit';
import { appConfig, database } from '$lib/server/app-context';
import { can, userPrincipal, type Principal } from '$lib/server/auth/policy';
import type { SessionUser } from '$lib/server/auth/session';
import { siteForCallList } from '$lib/server/db/queries/sms-ops';
import { buildCallList } from '$lib/server/sms/call-list';
import { localDate } from '$lib/shared/time';

/** A YYYY-MM-DD date that exists (no 2021-02-30). */
function isDate(value: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return false;
	const t = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return t.getUTCFullYear() === +m[1] && t.getUTCMonth() === +m[2] - 1 && t.getUTCDate() === +m[3];
}

/** The site, date and call list a call-list page shows, after checking who asks. */
export async function readCallList(
	user: SessionUser | null | undefined,
	code: string,
	dateParam: string | null
) {
	if (!user) error(401, 'Sign in to see call lists.');
	const principal: Principal = userPrincipal(user);
	const db = database();
	const config = appConfig();
	const site = await siteForCallList(db, code);
	if (!site) error(404, `There is no site ${code}.`);
	if (!can(principal, 'calllist.download', { districtCode: site.districtCode }))
		error(403, 'Your account cannot see call lists for this site.');
	const date = dateParam || localDate(new Date(), config.APP_TIMEZONE);
	if (!isDate(date)) error(400, `Not a date: ${date}. Use YYYY-MM-DD.`);
	const entries = await buildCallList(db, {
		siteCode: site.code,
		date,
		now: new Date(),
		noReportMinutes: config.SMS_NO_REPORT_MINUTES,
		timeZone: config.APP_TIMEZONE,
		viewer: principal
	});
	return { principal, site, date, entries, config };
}
