import { can } from '$lib/server/auth/policy';
import { database } from '$lib/server/app-context';
import { siteFallbackMessages } from '$lib/server/sms/fallback';
import type { PageServerLoad } from './$types';
import { readCallList } from './read';
import { CALL_LIST_KEY } from './view';

export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
	depends(CALL_LIST_KEY);
	const { principal, site, date, entries, config } = await readCallList(
		locals.user,
		params.code,
		url.searchParams.get('date')
	);
	const fallback = await siteFallbackMessages(database(), {
		siteCode: site.code,
		siteName: site.name,
		date,
		timeZone: config.APP_TIMEZONE
	});
	const target = { districtCode: site.districtCode };
	return {
		site,
		date,
		entries,
		fallback,
		noReportMinutes: config.SMS_NO_REPORT_MINUTES,
		timeZone: config.APP_TIMEZONE,
		canMark: can(principal, 'calllist.mark', target),
		canResend: can(principal, 'sms.resend', target)
	};
};
