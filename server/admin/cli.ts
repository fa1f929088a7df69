import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../../src/lib/server/config';
import { Ingest } from '../feeds/ingest';
import { LiveState } from '../live/state';
import { createLogger } from '../log';
import { loadDemoState } from '../demo/start';
import { readLiveLoad } from '../live/load';
import { openDatabase } from '../services';
import { requestReload } from '../../src/lib/server/db/queries/cluster';
import { RELOAD_CHANNEL } from '../cluster/changes';
import { runAdmin, UsageError, usage } from './run';
import { sendToServer } from './socket';

/**
 * `npm run admin -- <command>`: works whether or not the server runs. With the embedded
 * database and a running server the command runs inside it; otherwise here, directly.
 */
async function main() {
	const argv = process.argv.slice(2);
	if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help') {
		console.log(usage);
		return;
	}
	const config = loadConfig();
	const stdin = needsStdin(argv[0]) ? await readStdin() : await fileArgument(argv);

	if (config.databaseKind === 'pglite') {
		const answer = await sendToServer(config.DATA_DIR, { argv, stdin });
		if (answer) {
			if (!answer.ok) fail(answer.error);
			console.log(answer.output);
			return;
		}
	}

	const log = createLogger('warn');
	const handle = await openDatabase(config, log);
	try {
		const live = new LiveState({
			timeZone: config.APP_TIMEZONE,
			thresholds: {
				stallMinutes: config.STALL_MINUTES,
				startupGraceMinutes: config.STARTUP_GRACE_MINUTES
			},
			simulated: false
		});
		const now = new Date();
		live.load(await readLiveLoad(handle, live, now), now);
		const output = await runAdmin(
			{
				handle,
				ingest: new Ingest({ handle, live }),
				timeZone: config.APP_TIMEZONE,
				loadDemo: () => loadDemoState(handle, config.APP_TIMEZONE),
				// Servers on PostgreSQL may be running beside this command: they reload.
				// (With PGlite none is: a running one would have taken the command itself.)
				dataChanged:
					config.databaseKind === 'postgres'
						? (reason) => requestReload(handle.db, RELOAD_CHANNEL, reason)
						: undefined
			},
			argv,
			stdin
		);
		console.log(output);
	} finally {
		await handle.close();
	}
}

/** import-targets FILE: read here, so that a running server needs no access to the file. */
async function fileArgument(argv: string[]): Promise<string> {
	if (argv[0] !== 'import-targets' || argv.length !== 2) return '';
	return readFile(argv[1], 'utf8');
}

function needsStdin(command: string): boolean {
	return command === 'create-user';
}

async function readStdin(): Promise<string> {
	if (process.stdin.isTTY) {
		process.stderr.write('Password (input is shown; pipe it in to hide it): ');
	}
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk as Buffer);
		if (process.stdin.isTTY && chunk.includes(10)) break;
	}
	return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

main().catch((error) => {
	if (error instanceof ConfigError || error instanceof UsageError) fail(error.message);
	fail(error instanceof Error ? error.message : String(error));
});
