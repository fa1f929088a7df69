import type { ViteDevServer } from 'vite';
import type { Server } from 'node:http';
import { loadConfig } from '../src/lib/server/config';
import { lookup, register } from '../src/lib/server/registry';
import { startAdminSocket } from './admin/socket';
import { createApiHandler } from './http/api';
import { createLogger } from './log';
import { attachRealtime } from './realtime/attach';
import { createServices } from './services';
import { startDemo } from './demo/start';

/**
 * `npm run dev`: the same services, API and Socket.IO as production, on Vite's server.
 * Vite may load this module again on a config reload: the registry keeps one instance.
 */
export async function startDevServices(vite: ViteDevServer): Promise<void> {
	if (lookup('dev-started')) return;
	register('dev-started', true);
	const config = loadConfig();
	const log = createLogger(config.LOG_LEVEL);
	const services = await createServices(config, log);
	const demo = services.demo ? await startDemo(services) : null;
	const api = createApiHandler(services);
	vite.middlewares.use((req, res, next) => {
		void api(req, res).then((handled) => {
			if (!handled) next();
		});
	});
	const realtime = attachRealtime(vite.httpServer as Server, {
		streams: services.streams,
		auth: services.auth,
		log,
		intervalMs: config.DELTA_INTERVAL_MS,
		adapter: services.socketAdapter
	});
	services.useRealtime(realtime);
	await startAdminSocket(services);
	vite.httpServer?.once('listening', () => demo?.announce('http://localhost:5173'));
}
