/**
 * Dose ingest through the real HTTP feed of a real server process: JSON parsing and
 * validation, one transaction per group-committed batch (raw rows, rollups, quarantine,
 * the change for other nodes), live-state updates; counted when the 200 came back.
 */
import { sql } from 'drizzle-orm';
import { startServerProcess } from '../tests/support/server-process';
import {
	doseBodies,
	freshPglite,
	freshPostgres,
	log,
	metric,
	post,
	round,
	seedState,
	sleep,
	type BenchDatabase
} from './support';

export interface IngestOptions {
	kind: 'postgres' | 'pglite';
	seconds: number;
	/** Requests in flight at once. */
	senders: number;
	/** Doses per request. */
	batch: number;
	sites: number;
}

export interface IngestResult {
	database: 'postgres' | 'pglite';
	dosesPerSecond: number;
	seconds: number;
	acknowledged: number;
	senders: number;
	dosesPerRequest: number;
	/** Requests that did not get a 200 (none expected). */
	failedRequests: number;
	requestLatencyMs: { p50: number; p99: number };
	/** Average doses per transaction (group commit), from the server's metrics. */
	dosesPerTransaction: number | null;
	/** Every acknowledged dose was in the database afterwards. */
	allAcknowledgedStored: boolean;
}

export async function benchIngest(opts: IngestOptions): Promise<IngestResult> {
	const db: BenchDatabase = opts.kind === 'postgres' ? await freshPostgres() : await freshPglite();
	try {
		let handle = await db.open();
		const tokens = await seedState(handle, opts.sites);
		await handle.close();
		const server = await startServerProcess({
			env: { ...db.env, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'error' },
			dataDir: db.env.DATA_DIR
		});
		let acknowledged = 0;
		let failed = 0;
		const latencies: number[] = [];
		let measuring = false;
		let stop = false;
		const run = `r${Date.now().toString(36)}`;
		try {
			const sender = async (s: number) => {
				const next = doseBodies(`${run}-${s}`, opts.batch, opts.sites);
				while (!stop) {
					const body = next();
					const started = performance.now();
					const res = await post(`${server.url}/api/v1/doses`, body, tokens.ingest);
					if (!measuring || stop) continue;
					latencies.push(performance.now() - started);
					if (res.status === 200)
						acknowledged += (JSON.parse(res.text) as { accepted: number }).accepted;
					else failed++;
				}
			};
			const senders = Array.from({ length: opts.senders }, (_, s) => sender(s));
			await sleep(3000); // warm-up: JIT, connections, caches
			const batchesBefore = await batchStats(server.url);
			measuring = true;
			const started = performance.now();
			await sleep(opts.seconds * 1000);
			measuring = false;
			const elapsed = (performance.now() - started) / 1000;
			const batchesAfter = await batchStats(server.url);
			stop = true;
			await Promise.all(senders);
			latencies.sort((a, b) => a - b);
			const at = (p: number) =>
				latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
			const transactions = batchesAfter.count - batchesBefore.count;
			await server.stop();
			handle = await db.open();
			const [{ n }] = await handle.rows<{ n: number }>(
				sql`select count(*)::int as n from dose_events`
			);
			await handle.close();
			const result: IngestResult = {
				database: opts.kind,
				dosesPerSecond: round(acknowledged / elapsed),
				seconds: round(elapsed, 1),
				acknowledged,
				senders: opts.senders,
				dosesPerRequest: opts.batch,
				failedRequests: failed,
				requestLatencyMs: { p50: round(at(0.5), 1), p99: round(at(0.99), 1) },
				dosesPerTransaction:
					transactions > 0 ? round((batchesAfter.sum - batchesBefore.sum) / transactions) : null,
				allAcknowledgedStored: n >= acknowledged
			};
			log(`ingest ${opts.kind}: ${result.dosesPerSecond} doses/s`);
			return result;
		} finally {
			stop = true;
			await server.stop();
		}
	} finally {
		await db.drop();
	}
}

async function batchStats(url: string): Promise<{ count: number; sum: number }> {
	const count = (await metric(url, 'cc_ingest_batch_items_count')) ?? 0;
	const sum = (await metric(url, 'cc_ingest_batch_items_sum')) ?? 0;
	return { count, sum };
}
