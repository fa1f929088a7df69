/**
 * From POST to delta: N socket clients (in a separate process) watch the live feed of a
 * real server on PostgreSQL; one dose is posted at a time and each client notes when its
 * delta shows it. Latency = that moment − the moment the POST was sent, over every client
 * and every round. Deltas are coalesced (DELTA_INTERVAL_MS, 1 s), so about half a second
 * is the design's own wait; the rest is commit, build and fan-out.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root, startServerProcess } from '../tests/support/server-process';
import { doseBody, freshPostgres, log, percentile, post, round, seedState, sleep } from './support';

export interface LatencyResult {
	clients: number;
	connected: number;
	rounds: number;
	samples: number;
	/** Clients that never saw a round's dose (none expected). */
	missed: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
}

function ask<T>(child: ChildProcess, message: object, answer: string): Promise<T> {
	return new Promise((resolve) => {
		const on = (m: { type: string }) => {
			if (m.type !== answer) return;
			child.off('message', on);
			resolve(m as T);
		};
		child.on('message', on);
		child.send(message);
	});
}

export async function benchLatency(opts: {
	clientCounts: number[];
	rounds: number;
	sites: number;
}): Promise<LatencyResult[]> {
	const db = await freshPostgres();
	const results: LatencyResult[] = [];
	try {
		const handle = await db.open();
		const tokens = await seedState(handle, opts.sites);
		await handle.close();
		for (const n of opts.clientCounts) {
			const server = await startServerProcess({
				env: { ...db.env, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'error' }
			});
			const clients = fork(join(root, 'bench/socket-clients.ts'), [], {
				execArgv: ['--import', 'tsx'],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc']
			});
			try {
				const ready = await ask<{ connected: number; failed: number }>(
					clients,
					{ type: 'connect', url: server.url, token: tokens.read, n },
					'ready'
				);
				log(`latency: ${ready.connected} of ${n} clients connected`);
				const snapshot = (await (
					await fetch(`${server.url}/api/v1/snapshot`, {
						headers: { authorization: `Bearer ${tokens.read}` }
					})
				).json()) as { totals: { dosesToday: number } };
				let total = snapshot.totals.dosesToday;
				const latencies: number[] = [];
				let missed = 0;
				for (let r = 0; r < opts.rounds; r++) {
					// Land anywhere in the coalescing window, not always at the same phase.
					await sleep(300 + Math.random() * 1000);
					total += 1;
					clients.send({ type: 'expect', total });
					await sleep(20);
					const sentAt = Date.now();
					const res = await post(
						`${server.url}/api/v1/doses`,
						doseBody(`lat-${n}-${r}`, 1, opts.sites),
						tokens.ingest
					);
					if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${res.text}`);
					// Every client has it, or 10 s have passed (then the rest count as missed).
					let got: { times: number[]; missing: number };
					const until = Date.now() + 10_000;
					for (;;) {
						await sleep(500);
						got = await ask(clients, { type: 'collect' }, 'times');
						if (got.missing === 0 || Date.now() > until) break;
					}
					for (const t of got.times) latencies.push(t - sentAt);
					missed += got.missing;
				}
				latencies.sort((a, b) => a - b);
				const result: LatencyResult = {
					clients: n,
					connected: ready.connected,
					rounds: opts.rounds,
					samples: latencies.length,
					missed,
					p50Ms: round(percentile(latencies, 50)),
					p99Ms: round(percentile(latencies, 99)),
					maxMs: round(latencies.at(-1) ?? NaN)
				};
				log(`latency N=${n}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
				results.push(result);
			} finally {
				clients.send({ type: 'close' });
				await new Promise((r) => clients.once('exit', r));
				await server.stop();
			}
		}
		return results;
	} finally {
		await db.drop();
	}
}
