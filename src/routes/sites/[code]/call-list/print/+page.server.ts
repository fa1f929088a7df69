import { appendAudit } from '$lib/server/db/queries/audit';
import { database } from '$lib/server/app-context';
import { siteHours } from '$lib/server/sms/fallback';
import type { PageServerLoad } from './$types';
import { readCallList } from '../read';

/** The printable call sheet: the people still to phone. A print is a download: audited. */
export const load: PageServerLoad = async ({ locals, params, url, getClientAddress }) => {
	const { site, date, entries, config } = await readCallList(
		locals.user,
		params.code,
		url.searchParams.get('date')
	);
	const pending = entries.filter((e) => !e.mark);
	const db = database();
	await appendAudit(db, {
		actor: locals.user!.username,
		action: 'calllist.download',
		target: `site:${site.code}`,
		detail: { date, format: 'print', rows: pending.length, pending: true },
		ip: getClientAddress()
	});
	const hours = await siteHours(db, { siteCode: site.code, date, timeZone: config.APP_TIMEZONE });
	return {
		site,
		date,
		hours,
		entries: pending,
		printedAt: new Date().toISOString(),
		timeZone: config.APP_TIMEZONE,
		printedBy: locals.user!.displayName || locals.user!.username
	};
};
