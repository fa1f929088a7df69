import { error } from '@sveltejs/kit';
import { appConfig, database } from '$lib/server/app-context';
import { can, scopeOf, userPrincipal } from '$lib/server/auth/policy';
import { readSmsBoard } from '$lib/server/sms/board';
import type { PageServerLoad } from './$types';
import { BOARD_KEY } from './view';

export const load: PageServerLoad = async ({ locals, depends }) => {
	depends(BOARD_KEY);
	if (!locals.user) error(401, 'Sign in to see SMS delivery.');
	const principal = userPrincipal(locals.user);
	if (!can(principal, 'snapshot.read'))
		error(403, 'Your account does not have access to this page.');
	const config = appConfig();
	const scope = scopeOf(principal);
	const board = await readSmsBoard(database(), {
		now: new Date(),
		timeZone: config.APP_TIMEZONE,
		noReportMinutes: config.SMS_NO_REPORT_MINUTES,
		districts: scope.all ? null : scope.districts
	});
	return {
		board,
		threshold: config.SMS_FAILURE_RATE_THRESHOLD,
		canCall: can(principal, 'calllist.download')
	};
};
