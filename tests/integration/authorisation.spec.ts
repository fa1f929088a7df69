/**
 * Who may call what, against the real HTTP API and Socket.IO: every role and token scope
 * against every feed, read endpoint and the live socket; district scoping of the snapshot
 * and of deltas; cross-site protection for cookie changes; rate limits; and revocation
 * reaching the next request and connected sockets at once.
 *
 * People sign in through signIn(), the function the /login form action calls (the form
 * itself, lockout messages and the pages are covered by tests/e2e/accounts.e2e.ts, which
 * drives the built SvelteKit app).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { revokeSessionsCommand } from '../../server/admin/commands/revoke-sessions';
import { runAdmin } from '../../server/admin/run';
import { serverAdminContext } from '../../server/admin/socket';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import { hashToken, newToken } from '../../src/lib/server/auth/token';
import { insertToken, revokeToken } from '../../src/lib/server/db/queries/token';
import { findUserByUsername, setUserDisabled } from '../../src/lib/server/db/queries/user';
import type { Delta, Snapshot } from '../../src/lib/shared/live';
import { localDate } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import {
	connectClient,
	seedSmallState,
	startTestServer,
	until,
	type TestServer,
	type TestSocket
} from './server';

const TZ = 'Asia/Kolkata';
const PASSWORD = 'correct horse battery';
const PUNE = '521';
const NAGPUR = '505';

type Role = 'admin' | 'state_officer' | 'district_officer' | 'secretary' | 'helpdesk';
const roles: Role[] = ['admin', 'state_officer', 'district_officer', 'secretary', 'helpdesk'];

/** Who calls: a person (session cookie), a machine (bearer token), or nobody. */
type Caller =
	| { kind: 'user'; name: string; role: Role; cookie: string }
	| { kind: 'token'; name: string; token: string }
	| { kind: 'anonymous'; name: string };

let serial = 0;

async function createPerson(server: TestServer, role: Role, districts: string[] = []) {
	const username = `${role.replace('_', '-')}-${++serial}`;
	await createUserCommand(server.services.handle.db, {
		username,
		role,
		districts,
		password: PASSWORD
	});
	return username;
}

/** Sign in as /login does; the answer is the Cookie header a browser would send. */
async function signInCookie(server: TestServer, username: string): Promise<string> {
	const result = await signIn(
		server.services.handle.db,
		{ username, password: PASSWORD, ip: '127.0.0.1', userAgent: 'vitest' },
		new FailureLimiter()
	);
	if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
	return `cc_session=${result.session.cookieValue}`;
}

async function tokenWith(server: TestServer, scopes: ('read' | 'ingest')[]): Promise<string> {
	const token = newToken();
	await insertToken(server.services.handle.db, {
		name: `t-${scopes.join('-') || 'none'}-${++serial}`,
		tokenHash: hashToken(token),
		scopes
	});
	return token;
}

function headersFor(server: TestServer, caller: Caller, extra: Record<string, string> = {}) {
	const headers: Record<string, string> = { ...extra };
	if (caller.kind === 'user') {
		headers.cookie = caller.cookie;
		// As a browser does on a POST from the app's own pages.
		headers.origin = server.url;
	}
	if (caller.kind === 'token') headers.authorization = `Bearer ${caller.token}`;
	return headers;
}

function call(
	server: TestServer,
	caller: Caller,
	method: string,
	path: string,
	body?: string,
	extra: Record<string, string> = {}
) {
	return fetch(server.url + path, {
		method,
		headers: headersFor(server, caller, {
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...extra
		}),
		body
	});
}

/** A socket that signs in like the caller; resolves once it is connected or refused. */
function socketFor(server: TestServer, caller: Caller) {
	const snapshots: Snapshot[] = [];
	const deltas: Delta[] = [];
	const socket: TestSocket = io(server.url, {
		path: '/socket.io',
		transports: ['websocket'],
		reconnection: false,
		auth: caller.kind === 'token' ? { token: caller.token } : {},
		extraHeaders: caller.kind === 'user' ? { cookie: caller.cookie } : {}
	});
	socket.on('snapshot', (s) => snapshots.push(s));
	socket.on('delta', (d) => deltas.push(d));
	let disconnectReason: string | null = null;
	socket.on('disconnect', (reason) => (disconnectReason = reason));
	const outcome = new Promise<{ connected: true } | { connected: false; message: string }>(
		(resolve) => {
			socket.once('connect', () => resolve({ connected: true }));
			socket.once('connect_error', (e) => resolve({ connected: false, message: e.message }));
		}
	);
	return { socket, snapshots, deltas, outcome, disconnected: () => disconnectReason };
}

const doses = (prefix: string, n: number, siteCode: string) =>
	Array.from({ length: n }, (_, i) => ({
		id: `${prefix}-${i}`,
		siteCode,
		occurredAt: new Date().toISOString(),
		vaccine: 'COVISHIELD',
		dose: 1,
		beneficiaryRef: `B-${prefix}-${i}`
	}));

/** The contract's JSON feeds; an empty batch is a valid body for each. */
const feeds = [
	'/api/v1/doses',
	'/api/v1/sessions',
	'/api/v1/sms/messages',
	'/api/v1/sms/reports',
	'/api/v1/appointments',
	'/api/v1/heartbeats',
	'/api/v1/health'
];

/** Reads the live picture is made of. */
const reads = ['/api/v1/snapshot', '/api/v1/health/summary', '/api/v1/health/timeline'];

forEachDatabase('authorisation matrix', (db) => {
	let server: TestServer;
	const callers = new Map<string, Caller>();

	beforeAll(async () => {
		// No periodic credential check within a test run: revocation must come from the hook.
		server = await startTestServer(db(), { CREDENTIAL_RECHECK_MS: '3600000' });
		await seedSmallState(server, localDate(new Date(), TZ));
		for (const role of roles) {
			const username = await createPerson(server, role, role === 'district_officer' ? [PUNE] : []);
			callers.set(role, {
				kind: 'user',
				name: role,
				role,
				cookie: await signInCookie(server, username)
			});
		}
		callers.set('token:read', {
			kind: 'token',
			name: 'token:read',
			token: await tokenWith(server, ['read'])
		});
		callers.set('token:ingest', {
			kind: 'token',
			name: 'token:ingest',
			token: await tokenWith(server, ['ingest'])
		});
		callers.set('token:none', {
			kind: 'token',
			name: 'token:none',
			token: await tokenWith(server, [])
		});
		callers.set('anonymous', { kind: 'anonymous', name: 'anonymous' });
	});
	afterAll(async () => server?.close());

	/**
	 * Expected answers, written out by caller: 200 allowed, 403 signed in but not allowed,
	 * 401 not signed in. Feeds are for ingest tokens (and administrators); everyone who
	 * works the day reads the live picture.
	 */
	const expected: Record<string, { feed: number; read: number; socket: 'ok' | string }> = {
		admin: { feed: 200, read: 200, socket: 'ok' },
		state_officer: { feed: 403, read: 200, socket: 'ok' },
		district_officer: { feed: 403, read: 200, socket: 'ok' },
		secretary: { feed: 403, read: 200, socket: 'ok' },
		helpdesk: { feed: 403, read: 200, socket: 'ok' },
		'token:read': { feed: 403, read: 200, socket: 'ok' },
		'token:ingest': { feed: 200, read: 403, socket: 'forbidden' },
		'token:none': { feed: 403, read: 403, socket: 'forbidden' },
		anonymous: { feed: 401, read: 401, socket: 'unauthorized' }
	};

	for (const [name, expect_] of Object.entries(expected)) {
		describe(name, () => {
			for (const path of feeds) {
				it(`POST ${path}: ${expect_.feed}`, async () => {
					const res = await call(server, callers.get(name)!, 'POST', path, '[]');
					const body = await res.json();
					expect(res.status, JSON.stringify(body)).toBe(expect_.feed);
					if (expect_.feed === 200) expect(body).toMatchObject({ accepted: 0, rejected: [] });
					else expect(body.error).toMatch(expect_.feed === 401 ? /^unauthorized/ : /^forbidden/);
				});
			}

			for (const path of reads) {
				it(`GET ${path}: ${expect_.read}`, async () => {
					const res = await call(server, callers.get(name)!, 'GET', path);
					expect(res.status).toBe(expect_.read);
				});
			}

			it(`live socket: ${expect_.socket}`, async () => {
				const client = socketFor(server, callers.get(name)!);
				const outcome = await client.outcome;
				if (expect_.socket === 'ok') {
					expect(outcome).toEqual({ connected: true });
					await until(() => client.snapshots[0]);
				} else {
					expect(outcome.connected).toBe(false);
					if (!outcome.connected) expect(outcome.message).toMatch(new RegExp(`^${expect_.socket}`));
				}
				client.socket.close();
			});
		});
	}

	it('covers every role of the contract', () => {
		for (const role of roles) expect(expected[role], role).toBeDefined();
	});

	describe('district scoping', () => {
		it('gives a district officer a snapshot of its districts only', async () => {
			const res = await call(server, callers.get('district_officer')!, 'GET', '/api/v1/snapshot');
			const snapshot = (await res.json()) as Snapshot;
			expect(snapshot.districts.map((d) => d.code)).toEqual([PUNE]);
			expect(snapshot.sites.length).toBeGreaterThan(0);
			expect(new Set(snapshot.sites.map((s) => s.districtCode))).toEqual(new Set([PUNE]));
			for (const alert of snapshot.alerts) expect([PUNE, undefined]).toContain(alert.districtCode);

			const state = (await (
				await call(server, callers.get('state_officer')!, 'GET', '/api/v1/snapshot')
			).json()) as Snapshot;
			expect(state.districts.map((d) => d.code).sort()).toEqual([NAGPUR, PUNE]);
			const pune = state.districts.find((d) => d.code === PUNE)!;
			expect(snapshot.totals.dosesToday).toBe(pune.dosesToday);
		});

		it('sends a district officer only its districts over the socket, deltas included', async () => {
			const officer = socketFor(server, callers.get('district_officer')!);
			const state = socketFor(server, callers.get('state_officer')!);
			await officer.outcome;
			await state.outcome;
			const officerSnapshot = await until(() => officer.snapshots[0]);
			await until(() => state.snapshots[0]);
			expect(officerSnapshot.districts.map((d) => d.code)).toEqual([PUNE]);
			expect(new Set(officerSnapshot.sites.map((s) => s.districtCode))).toEqual(new Set([PUNE]));

			// Doses in both districts; the state sees both, the officer only Pune.
			await server.post('/api/v1/doses', doses('scope-n', 3, 'N1'));
			await server.post('/api/v1/doses', doses('scope-p', 2, 'P1'));
			await until(() =>
				state.deltas.some((d) => d.districts?.some((x) => x.code === NAGPUR)) ? state.deltas : false
			);
			await until(() =>
				officer.deltas.some((d) => d.sites?.some((s) => s.code === 'P1')) ? officer.deltas : false
			);
			for (const delta of officer.deltas) {
				for (const d of delta.districts ?? []) expect(d.code).toBe(PUNE);
				for (const s of delta.sites ?? []) expect(s.districtCode).toBe(PUNE);
				for (const a of delta.alerts ?? []) expect([PUNE, undefined]).toContain(a.districtCode);
			}
			const last = officer.deltas.at(-1)!;
			expect(last.totals.dosesToday).toBe(officerSnapshot.totals.dosesToday + 2);
			officer.socket.close();
			state.socket.close();
		});
	});

	describe('cross-site requests', () => {
		const post = (headers: Record<string, string>) =>
			fetch(`${server.url}/api/v1/heartbeats`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					cookie: (callers.get('admin') as { cookie: string }).cookie,
					...headers
				},
				body: '[]'
			});

		it('refuses a change signed in by cookie without an Origin naming this server', async () => {
			const none = await post({});
			expect(none.status).toBe(403);
			expect((await none.json()).error).toMatch(/Origin/);
			expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
			expect((await post({ origin: 'null' })).status).toBe(403);
			expect((await post({ referer: 'http://evil.example/page' })).status).toBe(403);
		});

		it('accepts it from this server’s pages (Origin, or Referer without Origin)', async () => {
			expect((await post({ origin: server.url })).status).toBe(200);
			expect((await post({ referer: `${server.url}/admin` })).status).toBe(200);
		});

		it('needs no Origin for reads, or for machines with a token', async () => {
			const read = await fetch(`${server.url}/api/v1/snapshot`, {
				headers: { cookie: (callers.get('admin') as { cookie: string }).cookie }
			});
			expect(read.status).toBe(200);
			const machine = await server.post('/api/v1/heartbeats', []);
			expect(machine.status).toBe(200);
		});
	});

	it('sends security headers with every API answer', async () => {
		for (const res of [
			await call(server, callers.get('token:read')!, 'GET', '/api/v1/snapshot'),
			await call(server, callers.get('anonymous')!, 'GET', '/api/v1/snapshot'),
			await fetch(`${server.url}/api/v1/nothing-here`)
		]) {
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
			expect(res.headers.get('cache-control')).toBe('no-store');
		}
	});

	describe('revocation', () => {
		it('stops a revoked token at its next request and disconnects its socket at once', async () => {
			const caller: Caller = {
				kind: 'token',
				name: 'revoked',
				token: await tokenWith(server, ['read'])
			};
			const client = socketFor(server, caller);
			expect(await client.outcome).toEqual({ connected: true });
			expect((await call(server, caller, 'GET', '/api/v1/snapshot')).status).toBe(200);

			// What the admin page does: revoke, then ask the server to check sockets now.
			const row = await tokenRowId(server, caller.token);
			await revokeToken(server.services.handle.db, row, new Date());
			expect((await call(server, caller, 'GET', '/api/v1/snapshot')).status).toBe(401);
			// The periodic check is an hour away on this server: only the hook can do it.
			expect(client.socket.connected).toBe(true);
			await server.services.recheckSockets();
			expect(await until(() => client.disconnected())).toBe('io server disconnect');
			// And it cannot come back.
			const again = socketFor(server, caller);
			expect(await again.outcome).toMatchObject({ connected: false, message: /^unauthorized/ });
			again.socket.close();
		});

		it('signs a person out everywhere at once: HTTP and socket', async () => {
			const username = await createPerson(server, 'state_officer');
			const caller: Caller = {
				kind: 'user',
				name: username,
				role: 'state_officer',
				cookie: await signInCookie(server, username)
			};
			const client = socketFor(server, caller);
			expect(await client.outcome).toEqual({ connected: true });

			await revokeSessionsCommand(server.services.handle.db, { username });
			expect((await call(server, caller, 'GET', '/api/v1/snapshot')).status).toBe(401);
			await server.services.recheckSockets();
			expect(await until(() => client.disconnected())).toBe('io server disconnect');
		});

		it('disconnects a disabled person', async () => {
			const username = await createPerson(server, 'helpdesk');
			const caller: Caller = {
				kind: 'user',
				name: username,
				role: 'helpdesk',
				cookie: await signInCookie(server, username)
			};
			const client = socketFor(server, caller);
			expect(await client.outcome).toEqual({ connected: true });

			const user = await findUserByUsername(server.services.handle.db, { username });
			await setUserDisabled(server.services.handle.db, {
				userId: user!.id,
				disabledAt: new Date()
			});
			expect((await call(server, caller, 'GET', '/api/v1/snapshot')).status).toBe(401);
			await server.services.recheckSockets();
			expect(await until(() => client.disconnected())).toBe('io server disconnect');
		});

		it('reaches sockets from the admin command run inside the server', async () => {
			const token = await tokenWith(server, ['read']);
			const client = socketFor(server, { kind: 'token', name: 'cli', token });
			expect(await client.outcome).toEqual({ connected: true });
			const id = await tokenRowId(server, token);

			// The path `npm run admin -- revoke-token` takes through the admin socket.
			await runAdmin(serverAdminContext(server.services), ['revoke-token', '--id', id], '');
			expect(await until(() => client.disconnected())).toBe('io server disconnect');
		});

		it('keeps other sockets connected', async () => {
			const keeper = connectClient(server.url, { token: server.readToken });
			await until(() => keeper.snapshots[0]);
			await server.services.recheckSockets();
			expect(keeper.socket.connected).toBe(true);
			keeper.socket.close();
		});
	});
});

/** The stored id of a token (what the admin page and `revoke-token --id` name). */
async function tokenRowId(server: TestServer, token: string): Promise<string> {
	const who = await server.services.auth.withToken(token);
	if (!who || who.credential.kind !== 'token') throw new Error('token not found');
	return who.credential.id;
}

forEachDatabase('rate limits and periodic revocation checks', (db) => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer(db(), {
			RATE_LIMIT_PER_MINUTE: '3',
			CREDENTIAL_RECHECK_MS: '100'
		});
	});
	afterAll(async () => server?.close());

	it('answers 429 with Retry-After once a token has used its allowance, and only for it', async () => {
		const token = await tokenWith(server, ['read']);
		const get = () =>
			fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${token}` } });
		for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
		const limited = await get();
		expect(limited.status).toBe(429);
		// 3 a minute: the next one is allowed 20 s later.
		expect(Number(limited.headers.get('retry-after'))).toBe(20);
		expect((await limited.json()).error).toMatch(/^too many requests/);

		const other = await tokenWith(server, ['read']);
		const fresh = await fetch(`${server.url}/api/v1/snapshot`, {
			headers: { authorization: `Bearer ${other}` }
		});
		expect(fresh.status).toBe(200);
	});

	it('limits callers without a credential by address', async () => {
		const statuses = [];
		for (let i = 0; i < 4; i++)
			statuses.push((await fetch(`${server.url}/api/v1/snapshot`)).status);
		expect(statuses).toEqual([401, 401, 401, 429]);
	});

	it('never limits the probes', async () => {
		for (let i = 0; i < 10; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});

	it('disconnects a revoked session within the periodic check, without being asked', async () => {
		const username = await createPerson(server, 'secretary');
		const caller: Caller = {
			kind: 'user',
			name: username,
			role: 'secretary',
			cookie: await signInCookie(server, username)
		};
		const client = socketFor(server, caller);
		expect(await client.outcome).toEqual({ connected: true });
		// As `npm run admin -- revoke-sessions` from another process would: no hook is called.
		await revokeSessionsCommand(server.services.handle.db, { username });
		expect(await until(() => client.disconnected())).toBe('io server disconnect');
	});
});
