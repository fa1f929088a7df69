import type { IncomingHttpHeaders } from 'node:http';
import type { DbHandle } from '../src/lib/server/db/client';
import { activeTokenIds, findTokenByHash, touchToken } from '../src/lib/server/db/queries/token';
import { activeSessionHashes } from '../src/lib/server/db/queries/user';
import { hashToken } from '../src/lib/server/auth/token';
import type { Principal } from '../src/lib/server/auth/policy';
import { userPrincipal } from '../src/lib/server/auth/policy';
import { resolveSession, SESSION_COOKIE } from '../src/lib/server/auth/session';

const TOUCH_EVERY_MS = 60_000;

/** What a principal was recognised by: a socket remembers it to be re-checked later. */
export type Credential = { kind: 'token'; id: string } | { kind: 'session'; idHash: string };

export interface Authenticated {
	principal: Principal;
	credential: Credential;
}

/** A stable key for a credential (rate limits, grouping sockets). */
export function credentialKey(c: Credential): string {
	return c.kind === 'token' ? `token:${c.id}` : `session:${c.idHash}`;
}

/**
 * Who is calling: a machine by its bearer token, or a person by the session cookie.
 * Every call asks the database, so a revoked token or session stops working at once.
 */
export class Authenticator {
	private touched = new Map<string, number>();

	constructor(private readonly handle: DbHandle) {}

	async withToken(token: string | undefined): Promise<Authenticated | null> {
		if (!token) return null;
		const row = await findTokenByHash(this.handle.db, hashToken(token));
		if (!row || row.revokedAt) return null;
		const now = Date.now();
		if (now - (this.touched.get(row.id) ?? 0) > TOUCH_EVERY_MS) {
			this.touched.set(row.id, now);
			await touchToken(this.handle.db, row.id, new Date(now));
		}
		return {
			principal: { kind: 'token', tokenId: row.id, name: row.name, scopes: row.scopes },
			credential: { kind: 'token', id: row.id }
		};
	}

	async withCookie(cookieHeader: string | undefined): Promise<Authenticated | null> {
		const value = readCookie(cookieHeader, SESSION_COOKIE);
		if (!value) return null;
		const session = await resolveSession(this.handle.db, value);
		if (!session) return null;
		return {
			principal: userPrincipal(session.user),
			credential: { kind: 'session', idHash: session.sessionIdHash }
		};
	}

	async fromToken(token: string | undefined): Promise<Principal | null> {
		return (await this.withToken(token))?.principal ?? null;
	}

	async fromCookie(cookieHeader: string | undefined): Promise<Principal | null> {
		return (await this.withCookie(cookieHeader))?.principal ?? null;
	}

	/** Bearer token (or ?token=) first; then the session cookie. */
	async authenticate(
		headers: IncomingHttpHeaders,
		queryToken?: string | null
	): Promise<Authenticated | null> {
		const token = presentedToken(headers, queryToken);
		if (token) return this.withToken(token);
		return this.withCookie(headers.cookie);
	}

	async fromHeaders(
		headers: IncomingHttpHeaders,
		queryToken?: string | null
	): Promise<Principal | null> {
		return (await this.authenticate(headers, queryToken))?.principal ?? null;
	}

	/**
	 * The keys (credentialKey) of those credentials that are still good at `now`: tokens
	 * not revoked; sessions not revoked or expired whose person is not disabled. Two
	 * queries whatever the number of credentials.
	 */
	async stillValid(credentials: Credential[], now: Date = new Date()): Promise<Set<string>> {
		const tokenIds = [...new Set(credentials.flatMap((c) => (c.kind === 'token' ? [c.id] : [])))];
		const sessionHashes = [
			...new Set(credentials.flatMap((c) => (c.kind === 'session' ? [c.idHash] : [])))
		];
		const [tokens, sessions] = await Promise.all([
			tokenIds.length ? activeTokenIds(this.handle.db, tokenIds) : [],
			sessionHashes.length
				? activeSessionHashes(this.handle.db, { idHashes: sessionHashes, now })
				: []
		]);
		return new Set([
			...tokens.map((id) => credentialKey({ kind: 'token', id })),
			...sessions.map((idHash) => credentialKey({ kind: 'session', idHash }))
		]);
	}
}

/**
 * The token a request carries, if any: Authorization: Bearer; or, for SMS gateways that can
 * only put credentials in the callback URL, the HTTP Basic password (any user name) or ?token=.
 */
export function presentedToken(
	headers: IncomingHttpHeaders,
	queryToken?: string | null
): string | undefined {
	const authorization = headers.authorization ?? '';
	const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
	if (bearer) return bearer;
	const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization)?.[1];
	if (basic) {
		const decoded = Buffer.from(basic, 'base64').toString('utf8');
		const password = decoded.slice(decoded.indexOf(':') + 1);
		if (decoded.includes(':') && password) return password;
	}
	return queryToken || undefined;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name)
			return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return undefined;
}

/** A principal's name for the audit log and logs (never a secret). */
export function actorName(p: Principal): string {
	return p.kind === 'user' ? p.user.username : `token:${p.name}`;
}
