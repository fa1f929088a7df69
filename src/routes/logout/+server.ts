import { error, redirect } from '@sveltejs/kit';
import { revokeUserSession, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session';
import type { DbHandle } from '$lib/server/db/client';
import { appendAudit } from '$lib/server/db/queries/audit';
import { lookup } from '$lib/server/registry';
import type { RequestHandler } from './$types';

/** Ends the session on the server, not only in the browser. */
export const POST: RequestHandler = async ({ cookies, locals, url, getClientAddress }) => {
	const cookieValue = cookies.get(SESSION_COOKIE);
	if (cookieValue) {
		const handle = lookup<DbHandle>('db');
		if (!handle) error(503, 'The command centre is starting; try again in a moment.');
		await revokeUserSession(handle.db, cookieValue);
		if (locals.user) {
			await appendAudit(handle.db, {
				actor: locals.user.username,
				action: 'auth.sign_out',
				target: locals.user.id,
				ip: getClientAddress()
			});
		}
	}
	cookies.delete(SESSION_COOKIE, sessionCookieOptions(url.protocol === 'https:'));
	redirect(303, '/login');
};
