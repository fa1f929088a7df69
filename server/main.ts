import { ConfigError, loadConfig } from '../src/lib/server/config';
import { startAdminSocket } from './admin/socket';
import { startHttpServer } from './app';
import { startDemo } from './demo/start';
import { createLogger } from './log';
import { createServices } from './services';

/** Production entry: `npm start` (after `npm run build`). */
async function main() {
	let config;
	try {
		config = loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(error.message);
			process.exit(2);
		}
		throw error;
	}
	const log = createLogger(config.LOG_LEVEL);
	const services = await createServices(config, log);
	// Before the server answers /readyz: an admin command must never find the server up
	// but its socket missing, and then open the embedded database a second time.
	const admin = await startAdminSocket(services);
	const demo = services.demo ? await startDemo(services) : null;
	const http = await startHttpServer(services, { port: config.PORT, host: config.HOST });
	log.info(
		{
			url: http.url,
			database: config.databaseKind,
			timeZone: config.APP_TIMEZONE,
			demo: services.demo
		},
		'command centre listening'
	);
	if (demo) demo.announce(http.url);

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'shutting down');
		const force = setTimeout(() => process.exit(1), 10_000);
		force.unref();
		await demo?.stop();
		await admin.close();
		await http.close();
		await services.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
