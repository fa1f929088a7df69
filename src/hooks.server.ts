import { error, json, redirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { can, pageAction, userPrincipal } from '$lib/server/auth/policy';
import { resolveSession, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session';
import type { DbHandle } from '$lib/server/db/client';
import { widenCspForMapStyle } from '$lib/server/map/csp';
import { lookup } from '$lib/server/registry';

/** Reachable while signed out; the field status page is for site staff, who have no accounts. */
const publicPaths = new Set(['/login', '/logout', '/status']);

const securityHeaders: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()'
};

export const handle: Handle = async ({ event, resolve }) => {
	answerScriptsLikeBrowsers(event);
	event.locals.user = await authenticate(event);

	if (!event.locals.user && !publicPaths.has(event.url.pathname)) {
		if (event.url.pathname.startsWith('/api/')) {
			// Machines send a bearer token, which the route itself checks; anyone else
			// gets a 401 rather than a redirect to an HTML page.
			if (!event.request.headers.has('authorization')) {
				return withSecurityHeaders(json({ ok: false, error: 'Sign in required' }, { status: 401 }));
			}
		} else {
			const next = event.url.pathname + event.url.search;
			redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
		}
	}

	// Pages that need more than signing in (admin, audit): checked here for every method,
	// so a form action or a CSV endpoint cannot be reached around its page's load.
	const needed = pageAction(event.url.pathname);
	if (needed && event.locals.user && !can(userPrincipal(event.locals.user), needed)) {
		error(403, 'Your account does not have access to this page.');
	}

	const response = withSecurityHeaders(await resolve(event));
	allowMapStyle(response);
	if (event.url.protocol === 'https:') {
		setHeader(response, 'strict-transport-security', 'max-age=31536000');
	}
	return response;
};

/** The session's user, refreshing the cookie when the session slid and dropping it when dead. */
async function authenticate(event: RequestEvent) {
	const cookieValue = event.cookies.get(SESSION_COOKIE);
	if (!cookieValue) return null;

	const handle = lookup<DbHandle>('db');
	if (!handle) error(503, 'The command centre is starting; try again in a moment.');

	const secure = event.url.protocol === 'https:';
	const session = await resolveSession(handle.db, cookieValue);
	if (!session) {
		event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(secure));
		return null;
	}
	if (session.renewed) {
		event.cookies.set(SESSION_COOKIE, cookieValue, sessionCookieOptions(secure, session.expiresAt));
	}
	return session.user;
}

/**
 * curl and other scripts send `Accept: *\/*`, which SvelteKit answers with a JSON action
 * result and status 200 whatever happened. A sign-in post that is not from use:enhance
 * (which sends x-sveltekit-action) is treated as the plain form post it is, so scripts get
 * 303 on success and 400/429 on failure, as a browser without JavaScript does.
 */
function answerScriptsLikeBrowsers(event: RequestEvent) {
	const { request } = event;
	if (request.method !== 'POST' || event.url.pathname !== '/login') return;
	if (request.headers.has('x-sveltekit-action')) return;
	const accept = request.headers.get('accept')?.trim();
	if (!accept || accept === '*/*') request.headers.set('accept', 'text/html');
}

/** An online base map (MAP_STYLE_URL) may fetch its tiles, glyphs and sprites. */
function allowMapStyle(response: Response) {
	const styleUrl = lookup<{ config: { MAP_STYLE_URL?: string } }>('services')?.config.MAP_STYLE_URL;
	const csp = response.headers.get('content-security-policy');
	if (!styleUrl || !csp) return;
	try {
		response.headers.set('content-security-policy', widenCspForMapStyle(csp, styleUrl));
	} catch {
		// Immutable headers (a Response passed through from fetch()): not a page, nothing to widen.
	}
}

function withSecurityHeaders(response: Response): Response {
	for (const [name, value] of Object.entries(securityHeaders)) setHeader(response, name, value);
	return response;
}

function setHeader(response: Response, name: string, value: string) {
	try {
		if (!response.headers.has(name)) response.headers.set(name, value);
	} catch {
		// A Response passed through from fetch() has immutable headers; it is sent as it is.
	}
}
