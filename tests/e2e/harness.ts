import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: specs run with it as the working directory. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

export interface TestServer {
	url: string;
	dataDir: string;
	/** Run an admin command against this server's database; resolves with its stdout. */
	admin(args: string[], stdin?: string): Promise<string>;
	stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
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

/**
 * Start the production server (`server/main.ts`, serving the built app from build/) on a
 * free port with a fresh embedded database, and wait until it is ready.
 */
export async function startServer(
	opts: { env?: Record<string, string> } = {}
): Promise<TestServer> {
	const dataDir = await mkdtemp(join(tmpdir(), 'ldcc-e2e-'));
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

	const child: ChildProcess = spawn(tsx, ['server/main.ts'], {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group: tsx runs the server in a child, and both must go on stop.
		detached: true
	});
	const kill = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// Already gone.
		}
	};
	let stderr = '';
	let stdout = '';
	child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
	child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
	let exited: number | null = null;
	let ready = false;
	let stopping = false;
	child.on('exit', (code) => {
		exited = code ?? -1;
		// A crash mid-test shows up as "connection refused" in the browser; say why here.
		if (ready && !stopping)
			console.error(`server exited with ${exited} during the test:\n${stderr}`);
	});

	const deadline = Date.now() + 60_000;
	for (;;) {
		if (exited !== null) {
			await rm(dataDir, { recursive: true, force: true });
			throw new Error(`server exited with ${exited} before it was ready:\n${stderr}\n${stdout}`);
		}
		try {
			const res = await fetch(`${url}/readyz`);
			if (res.status === 200) {
				ready = true;
				break;
			}
		} catch {
			// Not listening yet: keep polling until the deadline.
		}
		if (Date.now() > deadline) {
			kill('SIGKILL');
			await rm(dataDir, { recursive: true, force: true });
			throw new Error(`server not ready within 60 s:\n${stderr}\n${stdout}`);
		}
		await sleep(250);
	}

	function admin(args: string[], stdin = ''): Promise<string> {
		return new Promise((ok, fail) => {
			const cmd = spawn(tsx, ['server/admin/cli.ts', ...args], {
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

	async function stop(): Promise<void> {
		stopping = true;
		if (exited === null) {
			const gone = new Promise<void>((r) => child.once('exit', () => r()));
			kill('SIGTERM');
			const killer = setTimeout(() => kill('SIGKILL'), 10_000);
			await gone;
			clearTimeout(killer);
		}
		await rm(dataDir, { recursive: true, force: true });
	}

	return { url, dataDir, admin, stop };
}
