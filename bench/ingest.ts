/**
 * Dose ingest through the real HTTP feed of a real server process: JSON parsing and
 * validation, one transaction per group-committed batch (raw rows, rollups, quarantine,
 * the change for other nodes), live-state updates; counted when the 200 came back.
 */
import { sql } from 'drizzle-orm';
import { startServerProcess } from '../tests/support/server-process';
import {
	batchFigures,
	doseBodies,
	feedBatches,
	freshPglite,
	freshPostgres,
	log,
	percentile,
	post,
	round,
	seedState,
	sustainedLoad,
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
		const run = `r${Date.now().toString(36)}`;
		try {
			const bodies = Array.from({ length: opts.senders }, (_, s) =>
				doseBodies(`${run}-${s}`, opts.batch, opts.sites)
			);
			const load = await sustainedLoad({
				senders: opts.senders,
				seconds: opts.seconds,
				request: (s) => post(`${server.url}/api/v1/doses`, bodies[s](), tokens.ingest),
				sample: () => feedBatches(server.url, 'doses')
			});
			const { acknowledged, latencies } = load;
			await server.stop();
			handle = await db.open();
			const [{ n }] = await handle.rows<{ n: number }>(
				sql`select count(*)::int as n from dose_events`
			);
			await handle.close();
			const result: IngestResult = {
				database: opts.kind,
				dosesPerSecond: round(acknowledged / load.elapsedSeconds),
				seconds: round(load.elapsedSeconds, 1),
				acknowledged,
				senders: opts.senders,
				dosesPerRequest: opts.batch,
				failedRequests: load.failedRequests,
				requestLatencyMs: {
					p50: round(percentile(latencies, 50), 1),
					p99: round(percentile(latencies, 99), 1)
				},
				dosesPerTransaction: batchFigures(load.before, load.after).itemsPerTransaction,
				allAcknowledgedStored: n >= acknowledged
			};
			log(`ingest ${opts.kind}: ${result.dosesPerSecond} doses/s`);
			return result;
		} finally {
			await server.stop();
		}
	} finally {
		await db.drop();
	}
}
