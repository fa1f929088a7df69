import { error } from '@sveltejs/kit';
import { database } from '$lib/server/app-context';
import { userPrincipal } from '$lib/server/auth/policy';
import {
	complaintScope,
	ComplaintReadError,
	readAssignees,
	readComplaints,
	readIncidents
} from '$lib/server/complaints';
import { filterFromSearch } from './filter';
import type { PageServerLoad } from './$types';

/** Rows the queue shows at once; filters and search narrow the rest. */
const QUEUE_LIMIT = 300;

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) error(401, 'Sign in first.');
	const principal = userPrincipal(locals.user);
	const filter = filterFromSearch(url.searchParams);
	const db = database();
	try {
		const [queue, incidents, assignees] = await Promise.all([
			readComplaints(db, principal, filter, QUEUE_LIMIT, Date.now()),
			readIncidents(db, principal),
			readAssignees(db, principal)
		]);
		return {
			filter,
			queue,
			limit: QUEUE_LIMIT,
			incidents,
			assignees,
			me: locals.user.username,
			canFile: complaintScope(principal, 'complaint.create') !== null
		};
	} catch (e) {
		if (e instanceof ComplaintReadError) error(e.status, e.message);
		throw e;
	}
};
