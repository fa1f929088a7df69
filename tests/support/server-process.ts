/**
 * The real production server (`tsx server/main.ts`) as a child process, for tests and
 * benches that need whole processes: several nodes on one database, a database outage,
 * start-up time and memory. Each gets a free port; output is kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the server runs with it as the working directory. */
export const root = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Node with tsx's loader in the same process (not the tsx CLI, which runs the script in a
 * child process): a SIGKILL then really kills the server, and its pid is the server's.
 */
const nodeArgs = ['--import', 'tsx'];

export interface ServerProcess {
	url: string;
	port: number;
	/** The server process itself. */
	pid: number;
	/** The embedded database's directory (also where the admin socket lives). */
	dataDir: string;
	env: Record<string, string>;
	/** stdout and stderr so far. */
	output(): string;
	/** Resolves with the exit code once the process has exited. */
	exited: Promise<number>;
	/** Run an admin command with this server's environment; resolves with its stdout. */
	admin(args: string[], stdin?: string): Promise<string>;
	/** SIGTERM (a clean stop), then SIGKILL after 10 s; removes a data dir it created. */
	stop(): Promise<void>;
	/** SIGKILL: the node dies without a word (no lock released, no socket closed). */
	kill(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const probe = createServer();
		probe.unref();
		probe.on('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => ok(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
	/** Extra environment (DATABASE_URL, DEMO, …); DEMO=0 and LOG_LEVEL=warn by default. */
	env?: Record<string, string>;
	/** Use this data directory (kept on stop) instead of a fresh temporary one. */
	dataDir?: string;
	/** How long to wait for /readyz, in ms. */
	readyTimeoutMs?: number;
}

/** Start the server on a free port and wait until /readyz answers 200. */
export async function startServerProcess(opts: StartOptions = {}): Promise<ServerProcess> {
	const ownDir = !opts.dataDir;
	const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'ldcc-node-')));
	const port = await freePort();
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		// Each server gets its own fresh embedded database unless a test names one: the
		// suite's DATABASE_URL (set in CI) is for the database tests, not shared by servers.
		DATABASE_URL: '',
		PORT: String(port),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		DEMO: '0',
		LOG_LEVEL: 'warn',
		...opts.env
	};
	const url = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'server/main.ts'], {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
	child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
	let code: number | null = null;
	const exited = new Promise<number>((resolve) =>
		child.on('exit', (c, signal) => {
			code = c ?? (signal ? 128 : -1);
			resolve(code);
		})
	);
	const cleanup = async () => {
		if (ownDir) await rm(dataDir, { recursive: true, force: true });
	};

	const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
	for (;;) {
		if (code !== null) {
			await cleanup();
			throw new Error(`server exited with ${code} before it was ready:\n${out}`);
		}
		try {
			const res = await fetch(`${url}/readyz`);
			if (res.status === 200) break;
		} catch {
			// Not listening yet: keep polling until the deadline.
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			await exited;
			await cleanup();
			throw new Error(`server not ready in time:\n${out}`);
		}
		await sleep(100);
	}

	const signal = async (sig: NodeJS.Signals) => {
		if (code === null) {
			child.kill(sig);
			const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(killer);
		}
	};

	return {
		url,
		port,
		pid: child.pid!,
		dataDir,
		env,
		output: () => out,
		exited,
		admin: (args, stdin) => runAdmin(env, args, stdin),
		async stop() {
			await signal('SIGTERM');
			await cleanup();
		},
		async kill() {
			await signal('SIGKILL');
			await cleanup();
		}
	};
}

/** `npm run admin -- …` with the given environment; resolves with stdout. */
export function runAdmin(env: Record<string, string>, args: string[], stdin = ''): Promise<string> {
	return new Promise((ok, fail) => {
		const cmd = spawn(process.execPath, [...nodeArgs, 'server/admin/cli.ts', ...args], {
			cwd: root,
			env,
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		cmd.stdout.on('data', (b: Buffer) => (out += b.toString()));
		cmd.stderr.on('data', (b: Buffer) => (err += b.toString()));
		cmd.on('error', fail);
		cmd.on('exit', (code) => {
			if (code === 0) ok(out);
			else fail(new Error(`admin ${args.join(' ')} exited with ${code}:\n${err}\n${out}`));
		});
		cmd.stdin.end(stdin);
	});
}
