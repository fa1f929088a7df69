import { can, userPrincipal } from '$lib/server/auth/policy';
import { complaintScope } from '$lib/server/complaints';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const principal = locals.user ? userPrincipal(locals.user) : null;
	return {
		user: locals.user,
		// Which guarded pages to offer in the navigation (the request hook enforces them).
		allowed: {
			review: !!principal && can(principal, 'review.read'),
			audit: !!principal && can(principal, 'audit.read'),
			admin: !!principal && can(principal, 'users.manage'),
			helpdesk: !!principal && complaintScope(principal, 'complaint.update') !== null
		}
	};
};
