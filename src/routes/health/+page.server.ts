import { error } from '@sveltejs/kit';
import { can, scopeOf, userPrincipal } from '$lib/server/auth/policy';
import { loadConfig, type Config } from '$lib/server/config';
import type { DbHandle } from '$lib/server/db/client';
import { incidentThresholds } from '$lib/server/health/control';
import { readHealthSummary, readTimeline } from '$lib/server/health/read';
import { lookup } from '$lib/server/registry';
import type { PageServerLoad } from './$types';

/** The window of the latency figures and the default window of the timeline. */
const SUMMARY_MINUTES = 60;
const TIMELINE_HOURS = 6;

let config: Config | undefined;

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user;
	if (!user) error(401, 'Sign in to see the health panel.');
	const principal = userPrincipal(user);
	if (!can(principal, 'snapshot.read'))
		error(403, 'Your account does not have access to this page.');
	const handle = lookup<DbHandle>('db');
	if (!handle) error(503, 'The command centre is starting; try again in a moment.');
	config ??= loadConfig();
	const scope = scopeOf(principal);
	const now = new Date();
	const [summary, timeline] = await Promise.all([
		readHealthSummary(handle.db, { now, minutes: SUMMARY_MINUTES }),
		readTimeline(handle.db, {
			now,
			hours: TIMELINE_HOURS,
			districts: scope.all ? undefined : scope.districts
		})
	]);
	return {
		summary,
		timeline,
		thresholds: incidentThresholds(config),
		timeZone: config.APP_TIMEZONE,
		canManageProbes: can(principal, 'probe.manage')
	};
};
