import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApiHandler } from './http/api';
import { attachRealtime } from './realtime/attach';
import type { Services } from './services';

type KitHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The built SvelteKit app (adapter-node's handler), or null when it has not been built. */
async function loadKitHandler(): Promise<KitHandler | null> {
	const file = resolve('build/handler.js');
	if (!existsSync(file)) return null;
	// Without ORIGIN, adapter-node takes every request for https (breaking the origin
	// check and cookies on plain http). It reads these at import: the protocol comes from
	// x-forwarded-proto, which a TLS proxy sets and this server fills in otherwise.
	if (!process.env.ORIGIN) {
		process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
		process.env.HOST_HEADER ??= 'host';
	}
	const mod = (await import(pathToFileURL(file).href)) as { handler: KitHandler };
	return mod.handler;
}

export interface RunningServer {
	server: Server;
	url: string;
	close(): Promise<void>;
}

/**
 * One HTTP server for everything: the machine API first, then the SvelteKit pages, with
 * Socket.IO attached. adapter-node's handler ignores PORT/HOST when mounted in a custom
 * server, so they are applied here.
 */
export async function startHttpServer(
	services: Services,
	options: { port: number; host: string; withPages?: boolean }
): Promise<RunningServer> {
	const api = createApiHandler(services);
	const kit = options.withPages === false ? null : await loadKitHandler();
	if (!kit && options.withPages !== false) {
		services.log.warn('the app is not built (npm run build): serving the API and socket only');
	}
	const server = createServer((req, res) => {
		void api(req, res).then((handled) => {
			if (handled) return;
			if (kit) {
				req.headers['x-forwarded-proto'] ??= 'encrypted' in req.socket ? 'https' : 'http';
				kit(req, res, () => {
					res.statusCode = 404;
					res.end('Not found');
				});
				return;
			}
			res.statusCode = 404;
			res.end('Not found: pages are served once the app is built (npm run build)');
		});
	});
	// Slow or stalled clients must not hold sockets for ever.
	server.requestTimeout = 60_000;
	server.headersTimeout = 20_000;
	const realtime = attachRealtime(server, {
		streams: services.streams,
		auth: services.auth,
		log: services.log,
		intervalMs: services.config.DELTA_INTERVAL_MS,
		recheckMs: services.config.CREDENTIAL_RECHECK_MS,
		adapter: services.socketAdapter,
		onTick: (seconds) => services.metrics.deltaFanoutSeconds.observe(seconds)
	});
	services.useRealtime(realtime);
	await new Promise<void>((ok, fail) => {
		server.once('error', fail);
		server.listen(options.port, options.host, () => ok());
	});
	const { port } = server.address() as AddressInfo;
	const shownHost =
		options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
	return {
		server,
		url: `http://${shownHost}:${port}`,
		async close() {
			await realtime.close(); // also closes the HTTP server
		}
	};
}
