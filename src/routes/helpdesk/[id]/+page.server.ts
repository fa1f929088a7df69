import { error } from '@sveltejs/kit';
import { database } from '$lib/server/app-context';
import { userPrincipal } from '$lib/server/auth/policy';
import {
	ComplaintReadError,
	readAssignees,
	readComplaint,
	readIncidents
} from '$lib/server/complaints';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Sign in first.');
	const principal = userPrincipal(locals.user);
	const db = database();
	try {
		const [found, assignees, incidents] = await Promise.all([
			readComplaint(db, principal, params.id, Date.now()),
			readAssignees(db, principal),
			readIncidents(db, principal)
		]);
		return { ...found, assignees, incidents, me: locals.user.username };
	} catch (e) {
		if (e instanceof ComplaintReadError) error(e.status, e.message);
		throw e;
	}
};
