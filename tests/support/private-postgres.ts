/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, a free port),
 * so a test can stop and restart it without touching the machine's shared server. As
 * root (CI) it runs as the `postgres` user: initdb refuses to run as root.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server-process';

const run = promisify(execFile);

export interface PrivatePostgres {
	url: string;
	/** Stop the server; `immediate` is a crash (no checkpoint, connections cut). */
	stop(mode?: 'fast' | 'immediate'): Promise<void>;
	start(): Promise<void>;
	/** Stop it and delete its files. */
	destroy(): Promise<void>;
}

/** The newest installed PostgreSQL's programs (Debian keeps them out of PATH). */
function binDir(): string {
	const base = '/usr/lib/postgresql';
	let versions: string[] = [];
	try {
		versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
	} catch {
		// No Debian layout: fall through to the error below.
	}
	if (versions.length === 0)
		throw new Error(`PostgreSQL server programs not found under ${base} (initdb, pg_ctl)`);
	return join(base, versions[0], 'bin');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
	const bin = binDir();
	const root = userInfo().uid === 0;
	const dir = await mkdtemp(join(tmpdir(), 'ldcc-pg-'));
	const data = join(dir, 'data');
	const port = await freePort();
	/** Run a PostgreSQL program as its own user when we are root. */
	const as = (program: string, args: string[]) =>
		root
			? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
			: run(join(bin, program), args);
	if (root) {
		const { stdout } = await run('id', ['-u', 'postgres']);
		const { stdout: gid } = await run('id', ['-g', 'postgres']);
		await chown(dir, Number(stdout.trim()), Number(gid.trim()));
	}
	await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
	const start = async () => {
		await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
	};
	const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
		await as('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
	};
	await start();
	let running = true;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async stop(mode) {
			await stop(mode);
			running = false;
		},
		async start() {
			await start();
			running = true;
		},
		async destroy() {
			if (running) await stop('immediate').catch(() => {});
			await rm(dir, { recursive: true, force: true });
		}
	};
}
