/**
 * A real server (services, HTTP API and Socket.IO on a random port) over a test
 * database, for integration tests. Pages are not served: the e2e tests cover those.
 */
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../src/lib/server/config';
import type { DbHandle } from '../../src/lib/server/db/client';
import { districts } from '../../src/lib/server/db/schema';
import type { Delta, Snapshot } from '../../src/lib/shared/live';
import type {
	ClientToServerEvents,
	HandshakeAuth,
	ServerToClientEvents
} from '../../src/lib/shared/realtime';
import { createTokenCommand } from '../../server/admin/commands/tokens';
import { startHttpServer } from '../../server/app';
import { createLogger } from '../../server/log';
import { createServices, type Services } from '../../server/services';

export interface TestServer {
	url: string;
	services: Services;
	ingestToken: string;
	readToken: string;
	post(
		path: string,
		body: unknown,
		init?: { contentType?: string; token?: string }
	): Promise<Response>;
	close(): Promise<void>;
}

export async function startTestServer(
	handle: DbHandle,
	env: Record<string, string> = {}
): Promise<TestServer> {
	const config = loadConfig({ DATA_DIR: 'memory://', DEMO: '0', DELTA_INTERVAL_MS: '200', ...env });
	const services = await createServices(config, createLogger('silent'), { handle, demo: false });
	const http = await startHttpServer(services, { port: 0, host: '127.0.0.1', withPages: false });
	const token = async (scope: string) =>
		(await createTokenCommand(handle.db, { name: `test-${scope}`, scope })).split('\n').at(-1)!;
	const ingestToken = await token('ingest');
	const readToken = await token('read');
	return {
		url: http.url,
		services,
		ingestToken,
		readToken,
		post: (path, body, init = {}) =>
			fetch(http.url + path, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${init.token ?? ingestToken}`,
					'content-type': init.contentType ?? 'application/json'
				},
				body: typeof body === 'string' ? body : JSON.stringify(body)
			}),
		async close() {
			await http.close();
			await services.close(); // the database belongs to the test and stays open
		}
	};
}

/** Two districts and a handful of sites with a session open all day today. */
export async function seedSmallState(server: TestServer, today: string): Promise<string[]> {
	const db = server.services.handle.db;
	await db
		.insert(districts)
		.values([
			{ code: '521', name: 'Pune', state: 'Maharashtra' },
			{ code: '505', name: 'Nagpur', state: 'Maharashtra' }
		])
		.onConflictDoNothing();
	await server.services.reload();
	const sites = ['P1', 'P2', 'P3', 'N1'];
	const res = await server.post(
		'/api/v1/sessions',
		sites.map((code) => ({
			sessionId: `S-${code}-${today}`,
			siteCode: code,
			date: today,
			capacity: 240,
			startsAt: `${today}T00:00:00+05:30`,
			endsAt: `${today}T23:59:59+05:30`,
			site: { name: `Site ${code}`, districtCode: code.startsWith('P') ? '521' : '505' }
		}))
	);
	if (res.status !== 200)
		throw new Error(`seeding sessions failed: ${res.status} ${await res.text()}`);
	return sites;
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A plain socket.io-client that records everything it is sent. */
export function connectClient(url: string, auth: HandshakeAuth) {
	const snapshots: Snapshot[] = [];
	const deltas: Delta[] = [];
	const socket: TestSocket = io(url, {
		path: '/socket.io',
		auth,
		transports: ['websocket'],
		reconnection: false
	});
	socket.on('snapshot', (s) => snapshots.push(s));
	socket.on('delta', (d) => deltas.push(d));
	return { socket, snapshots, deltas };
}

export async function until<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() - started > timeoutMs)
			throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 25));
	}
}
