import type { IncomingMessage, ServerResponse } from 'node:http';
import { can, type Action } from '../../src/lib/server/auth/policy';
import type { Services } from '../services';
import type { Route, RouteContext } from './context';
import { SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { actorName, credentialKey, presentedToken, readCookie } from '../auth';
import { RateLimiter } from './rate-limit';
import { HttpError, readBody, sendError, setSecurityHeaders } from './respond';
import { complaintRoutes } from './routes/complaints';
import { feedRoutes } from './routes/feeds';
import { healthRoutes } from './routes/health';
import { liveRoutes } from './routes/live';
import { mapRoutes } from './routes/map';
import { opsRoutes } from './routes/ops';
import { alertRoutes } from './routes/alerts';
import { siteRoutes } from './routes/sites';
import { smsRoutes } from './routes/sms';
import { reviewRoutes } from './routes/review';

/** Every API route, one module per feature. */
const routes: Route[] = [
	...opsRoutes,
	...feedRoutes,
	...smsRoutes,
	...liveRoutes,
	...mapRoutes,
	...healthRoutes,
	...siteRoutes,
	...alertRoutes,
	...complaintRoutes,
	...reviewRoutes
];

/** Seconds a sender should wait before retrying while the database is away. */
const RETRY_AFTER_S = '5';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a browser request comes from a page of this server: its Origin (or, failing
 * that, its Referer) names the host it was sent to. Browsers send Origin on every
 * cross-site POST, so a form or fetch from another site cannot ride on the session cookie.
 */
export function sameOrigin(headers: IncomingMessage['headers']): boolean {
	const host = headers.host;
	const origin = headers.origin ?? headers.referer;
	if (!host || !origin || origin === 'null') return false;
	try {
		return new URL(origin).host === host;
	} catch {
		return false; // not a URL at all: certainly not this origin
	}
}

interface CompiledRoute extends Route {
	pattern: RegExp;
	names: string[];
}

function compile(route: Route): CompiledRoute {
	const names: string[] = [];
	const source = route.path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
		names.push(name);
		return '([^/]+)';
	});
	return { ...route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * The machine-facing HTTP API, served before SvelteKit: token-authenticated feeds are
 * not subject to the browser CSRF check (gateways post form bodies without Origin).
 * Returns false when the request is not for this API (SvelteKit serves it).
 */
export function createApiHandler(services: Services) {
	const compiled = routes.map(compile);
	const limiter = new RateLimiter(services.config.RATE_LIMIT_PER_MINUTE);

	/** One request against `key`'s allowance; 429 with Retry-After once it is spent. */
	function limit(key: string) {
		const decision = limiter.take(key, Date.now());
		if (!decision.ok) {
			throw new HttpError(
				429,
				`too many requests: at most ${limiter.perMinute} a minute; retry in ${decision.retryAfterSeconds} s`,
				{ 'retry-after': String(decision.retryAfterSeconds) }
			);
		}
	}
	const clientKey = (req: IncomingMessage) => `ip:${req.socket.remoteAddress ?? 'unknown'}`;
	/** Whether the request carries any credential at all (checked or not). */
	const presented = (req: IncomingMessage, url: URL) =>
		!!presentedToken(req.headers, url.searchParams.get('token')) ||
		readCookie(req.headers.cookie, SESSION_COOKIE) !== undefined;

	function match(method: string, path: string) {
		let pathMatched = false;
		for (const route of compiled) {
			const m = route.pattern.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (route.method !== method) continue;
			const params = Object.fromEntries(
				route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])
			);
			return { route, params };
		}
		return pathMatched ? 'wrong-method' : null;
	}

	function context(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		params: Record<string, string>
	): RouteContext {
		return {
			req,
			res,
			url,
			params,
			services,
			async authorise(action: Action, target) {
				const queryToken = url.searchParams.get('token');
				// A change made with the session cookie must come from this server's own pages.
				const byCookie =
					!presentedToken(req.headers, queryToken) &&
					readCookie(req.headers.cookie, SESSION_COOKIE) !== undefined;
				if (byCookie && STATE_CHANGING.has(req.method ?? '') && !sameOrigin(req.headers)) {
					throw new HttpError(
						403,
						'forbidden: a change signed in with a session cookie needs an Origin header naming this server'
					);
				}
				const who = await services.auth.authenticate(req.headers, queryToken);
				if (!who) {
					// A credential that does not check out counts against the address (one
					// without any was counted on arrival).
					if (presented(req, url)) limit(clientKey(req));
					throw new HttpError(401, 'unauthorized: send Authorization: Bearer <token> or sign in', {
						'www-authenticate': 'Bearer'
					});
				}
				const { principal } = who;
				// People are limited per person, machines per token.
				limit(
					principal.kind === 'user' ? `user:${principal.user.id}` : credentialKey(who.credential)
				);
				if (!can(principal, action, target)) {
					throw new HttpError(403, `forbidden: ${actorName(principal)} may not ${action}`);
				}
				return principal;
			},
			body: () => readBody(req, services.config.MAX_BODY_BYTES)
		};
	}

	return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const found = match(req.method ?? 'GET', url.pathname);
		if (!found && !url.pathname.startsWith('/api/')) return false;
		setSecurityHeaders(res);
		try {
			// Requests without any credential are limited per client address; the others
			// when their credential is checked (authorise).
			if (url.pathname.startsWith('/api/') && !presented(req, url)) limit(clientKey(req));
			if (!found) throw new HttpError(404, `no such endpoint: ${req.method} ${url.pathname}`);
			if (found === 'wrong-method') throw new HttpError(405, `${req.method} is not allowed here`);
			await found.route.handle(context(req, res, url, found.params));
		} catch (error) {
			if (res.headersSent) {
				res.destroy();
			} else if (error instanceof HttpError) {
				sendError(res, error);
			} else {
				// Anything else here is the database or the disk: never a false 200.
				services.log.error({ err: error, path: url.pathname }, 'request failed');
				const reachable = await services.handle.ping().then(
					() => true,
					() => false
				);
				const message = reachable
					? 'could not complete the request; retry'
					: 'database unavailable; retry';
				sendError(res, new HttpError(503, message, { 'retry-after': RETRY_AFTER_S }));
			}
		}
		return true;
	};
}
