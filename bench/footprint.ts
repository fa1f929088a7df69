/**
 * A big day on PostgreSQL: 10,000 sites with sessions open and millions of doses today.
 * Measures the server's resident memory (its own process, as it reports in /metrics)
 * while clients watch and doses keep coming, the size of a full snapshot, and the time
 * to rebuild the live state from the database: inside the server (the rebuild itself)
 * and from process start to ready (what an operator waits for after a restart).
 */
import { gzipSync } from 'node:zlib';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { root, startServerProcess, type ServerProcess } from '../tests/support/server-process';
import {
	doseBody,
	freshPostgres,
	generateDoses,
	log,
	metric,
	post,
	round,
	seedState,
	sleep
} from './support';

export interface Footprint {
	sites: number;
	dosesToday: number;
	/** Resident memory of the server process, highest seen while clients watched and doses came. */
	rssBytes: number;
	rssMegabytes: number;
	/** GET /api/v1/snapshot for the whole state: JSON bytes, and gzip-compressed. */
	snapshotBytes: number;
	snapshotGzipBytes: number;
	/** Live-state rebuild inside the server, and process start to /readyz 200. */
	rebuild: { doseRows: number; rebuildMs: number; startToReadyMs: number }[];
}

async function startTimed(
	env: Record<string, string>
): Promise<{ server: ServerProcess; ms: number }> {
	const started = performance.now();
	const server = await startServerProcess({
		env: { ...env, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'error' },
		readyTimeoutMs: 300_000
	});
	return { server, ms: performance.now() - started };
}

async function rebuildOf(server: ServerProcess, doseRows: number, startToReadyMs: number) {
	const rebuildMs = ((await metric(server.url, 'cc_live_rebuild_seconds')) ?? NaN) * 1000;
	log(
		`rebuild from ${doseRows} rows: ${round(rebuildMs)} ms (start to ready ${round(startToReadyMs)} ms)`
	);
	return { doseRows, rebuildMs: round(rebuildMs), startToReadyMs: round(startToReadyMs) };
}

export async function benchFootprint(opts: {
	sites: number;
	doses: number;
	moreDoses: number;
	watchers: number;
	seconds: number;
}): Promise<Footprint> {
	const db = await freshPostgres();
	try {
		const handle = await db.open();
		const tokens = await seedState(handle, opts.sites);
		log(`generating ${opts.doses} doses for today`);
		await generateDoses(handle, { from: 0, count: opts.doses, sites: opts.sites });
		await handle.close();

		const first = await startTimed(db.env);
		const rebuild = [await rebuildOf(first.server, opts.doses, first.ms)];
		let rss = 0;
		let snapshotBytes = 0;
		let snapshotGzipBytes = 0;
		const clients = fork(join(root, 'bench/socket-clients.ts'), [], {
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc']
		});
		try {
			const server = first.server;
			const res = await fetch(`${server.url}/api/v1/snapshot`, {
				headers: { authorization: `Bearer ${tokens.read}` }
			});
			const body = Buffer.from(await res.arrayBuffer());
			snapshotBytes = body.length;
			snapshotGzipBytes = gzipSync(body).length;
			await new Promise<void>((resolve) => {
				clients.once('message', () => resolve());
				clients.send({ type: 'connect', url: server.url, token: tokens.read, n: opts.watchers });
			});
			// Doses keep coming while the clients watch: a working day, not an idle server.
			let stop = false;
			const sender = async (s: number) => {
				for (let k = 0; !stop; k++) {
					await post(
						`${server.url}/api/v1/doses`,
						doseBody(`fp-${s}-${k}`, 500, opts.sites),
						tokens.ingest
					);
					await sleep(100);
				}
			};
			const senders = [0, 1].map(sender);
			const deadline = Date.now() + opts.seconds * 1000;
			while (Date.now() < deadline) {
				rss = Math.max(rss, (await metric(server.url, 'cc_process_resident_memory_bytes')) ?? 0);
				await sleep(1000);
			}
			stop = true;
			await Promise.all(senders);
		} finally {
			clients.send({ type: 'close' });
			await new Promise((r) => clients.once('exit', r));
			await first.server.stop();
		}
		log(`RSS ${round(rss / 2 ** 20)} MB, snapshot ${snapshotBytes} bytes`);

		if (opts.moreDoses > 0) {
			const h = await db.open();
			log(`generating ${opts.moreDoses} more doses`);
			await generateDoses(h, { from: opts.doses, count: opts.moreDoses, sites: opts.sites });
			const [{ n }] = await h.rows<{ n: number }>(sql`select count(*)::int as n from dose_events`);
			await h.close();
			const second = await startTimed(db.env);
			rebuild.push(await rebuildOf(second.server, n, second.ms));
			await second.server.stop();
		}
		return {
			sites: opts.sites,
			dosesToday: opts.doses,
			rssBytes: rss,
			rssMegabytes: round(rss / 2 ** 20, 1),
			snapshotBytes,
			snapshotGzipBytes,
			rebuild
		};
	} finally {
		await db.drop();
	}
}
