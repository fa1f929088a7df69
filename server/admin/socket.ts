import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { HEALTH_CONTROL, type HealthControl } from '../../src/lib/server/health/control';
import { lookup } from '../../src/lib/server/registry';
import type { Services } from '../services';
import { runAdmin, UsageError, type AdminContext } from './run';
import { loadDemoState } from '../demo/start';

/**
 * Admin commands while the server runs: PGlite allows one process per data directory,
 * so `npm run admin` hands its command to the running server over a Unix socket in
 * DATA_DIR (owner-only) instead of opening the database a second time.
 */
export function adminSocketPath(dataDir: string): string {
	return join(resolve(dataDir), 'admin.sock');
}

export interface AdminRequest {
	argv: string[];
	stdin: string;
}

export type AdminResponse =
	{ ok: true; output: string } | { ok: false; error: string; usage?: boolean };

export function serverAdminContext(services: Services): AdminContext {
	return {
		handle: services.handle,
		ingest: services.ingest,
		timeZone: services.config.APP_TIMEZONE,
		loadDemo: () => loadDemoState(services.handle, services.config.APP_TIMEZONE),
		dataChanged: () => services.reload(),
		credentialsRevoked: () => services.recheckSockets(),
		probesChanged: () => lookup<HealthControl>(HEALTH_CONTROL)?.targetsChanged()
	};
}

export async function startAdminSocket(services: Services): Promise<{ close(): Promise<void> }> {
	if (services.config.databaseKind !== 'pglite') return { close: async () => {} };
	const path = adminSocketPath(services.config.DATA_DIR);
	if (existsSync(path)) {
		if (await answers(path))
			throw new Error(`another server is already using ${services.config.DATA_DIR}`);
		unlinkSync(path); // left behind by a server that was killed
	}
	const ctx = serverAdminContext(services);
	const server: Server = createServer((conn) => {
		let input = '';
		conn.setEncoding('utf8');
		conn.on('data', (chunk) => {
			input += chunk;
			const end = input.indexOf('\n');
			if (end < 0) return;
			void handle(input.slice(0, end)).then((response) =>
				conn.end(JSON.stringify(response) + '\n')
			);
		});
		conn.on('error', () => conn.destroy());
	});
	const handle = async (line: string): Promise<AdminResponse> => {
		try {
			const request = JSON.parse(line) as AdminRequest;
			return { ok: true, output: await runAdmin(ctx, request.argv, request.stdin) };
		} catch (error) {
			return { ok: false, error: (error as Error).message, usage: error instanceof UsageError };
		}
	};
	await new Promise<void>((ok, fail) => {
		server.once('error', fail);
		server.listen(path, () => ok());
	});
	chmodSync(path, 0o600);
	return {
		close: () =>
			new Promise<void>((ok) => {
				server.close(() => ok());
			})
	};
}

/** Send one command to a running server; null when none answers on the socket. */
export function sendToServer(
	dataDir: string,
	request: AdminRequest
): Promise<AdminResponse | null> {
	const path = adminSocketPath(dataDir);
	if (!existsSync(path)) return Promise.resolve(null);
	return new Promise((ok) => {
		const conn = createConnection(path);
		let output = '';
		conn.setEncoding('utf8');
		conn.on('connect', () => conn.write(JSON.stringify(request) + '\n'));
		conn.on('data', (chunk) => (output += chunk));
		conn.on('end', () => ok(JSON.parse(output) as AdminResponse));
		conn.on('error', () => ok(null));
	});
}

function answers(path: string): Promise<boolean> {
	return new Promise((ok) => {
		const conn = createConnection(path);
		conn.on('connect', () => {
			conn.destroy();
			ok(true);
		});
		conn.on('error', () => ok(false));
	});
}
