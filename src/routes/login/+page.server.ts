import { error, fail, redirect } from '@sveltejs/kit';
import { describeSignInFailure, safeNextPath, signIn } from '$lib/server/auth/login';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session';
import { loadConfig, type Config } from '$lib/server/config';
import type { DbHandle } from '$lib/server/db/client';
import { lookup } from '$lib/server/registry';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next'), url.origin));
	return {};
};

export const actions = {
	default: async ({ request, cookies, url, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').slice(0, 128);
		const password = String(form.get('password') ?? '');
		if (!username.trim() || !password) {
			return fail(400, { username, message: 'Enter your username and password.' });
		}

		const handle = lookup<DbHandle>('db');
		if (!handle) error(503, 'The command centre is starting; try again in a moment.');

		const result = await signIn(handle.db, {
			username,
			password,
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent')
		});

		if (!result.ok) {
			const message = describeSignInFailure(result, timeZone());
			if (result.reason === 'invalid') return fail(400, { username, message });
			const retryAfter =
				result.reason === 'locked'
					? Math.ceil((result.lockedUntil.getTime() - Date.now()) / 1000)
					: result.retryAfterSeconds;
			setHeaders({ 'retry-after': String(Math.max(1, retryAfter)) });
			return fail(429, { username, message });
		}

		cookies.set(
			SESSION_COOKIE,
			result.session.cookieValue,
			sessionCookieOptions(url.protocol === 'https:', result.session.expiresAt)
		);
		redirect(303, safeNextPath(url.searchParams.get('next'), url.origin));
	}
} satisfies Actions;

let parsedTimeZone: string | undefined;

/** Lock times are shown in the state's time zone; the server may register its parsed config. */
function timeZone(): string {
	return lookup<Config>('config')?.APP_TIMEZONE ?? (parsedTimeZone ??= loadConfig().APP_TIMEZONE);
}
