/** What the benches share: databases to run on, seeding, HTTP load, the server's metrics. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb, type DbHandle } from '../src/lib/server/db/client';
import { startOfLocalDay } from '../src/lib/shared/time';
import { siteCode } from '../tests/support/state';

export { seedState, siteCode } from '../tests/support/state';

export const TZ = 'Asia/Kolkata';
export const QUICK = ['1', 'true', 'yes'].includes(process.env.BENCH_QUICK ?? '');
/** The PostgreSQL server the benches make their own databases on. */
export const PG_SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function log(message: string): void {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export interface BenchDatabase {
	kind: 'postgres' | 'pglite';
	/** DATABASE_URL for a server on it (postgres), or its DATA_DIR (pglite). */
	env: Record<string, string>;
	/** Open a handle (PGlite: only while no server has the directory open). */
	open(): Promise<DbHandle>;
	drop(): Promise<void>;
}

/** A fresh, migrated database of its own on the PostgreSQL server. */
export async function freshPostgres(): Promise<BenchDatabase & { url: string }> {
	const name = `cc_bench_${randomBytes(5).toString('hex')}`;
	const admin = postgres(PG_SERVER, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(PG_SERVER);
	url.pathname = `/${name}`;
	const open = () => createDb({ databaseUrl: url.toString(), maxConnections: 4 });
	const handle = await open();
	await handle.migrate();
	await handle.close();
	return {
		kind: 'postgres',
		url: url.toString(),
		env: { DATABASE_URL: url.toString() },
		open,
		async drop() {
			const a = postgres(PG_SERVER, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

/** A fresh, migrated embedded database in a temporary directory. */
export async function freshPglite(): Promise<BenchDatabase> {
	const dir = await mkdtemp(join(tmpdir(), 'ldcc-bench-'));
	const open = () => createDb({ dataDir: dir });
	const handle = await open();
	await handle.migrate();
	await handle.close();
	return {
		kind: 'pglite',
		env: { DATA_DIR: dir },
		open,
		drop: () => rm(dir, { recursive: true, force: true })
	};
}

/** `count` dose rows for today spread over the day so far, written by the database itself. */
export async function generateDoses(
	handle: DbHandle,
	opts: { from: number; count: number; sites: number }
): Promise<void> {
	const start = startOfLocalDay(new Date(), TZ).toISOString();
	const step = 500_000;
	for (let first = opts.from; first < opts.from + opts.count; first += step) {
		const last = Math.min(first + step, opts.from + opts.count) - 1;
		await handle.rows(sql`
			insert into dose_events (id, site_code, occurred_at, vaccine, dose, beneficiary_ref, source)
			select 'G-' || i, 'BS' || lpad((i % ${opts.sites}::int)::text, 5, '0'),
				${start}::timestamptz + (now() - ${start}::timestamptz) * random(),
				'COVISHIELD', 1, 'BEN-' || i, 'live'
			from generate_series(${first}::int, ${last}::int) i`);
	}
	// The rollups the hot path keeps, rebuilt from the raw rows.
	await handle.rows(sql`truncate dose_rollups`);
	await handle.rows(sql`
		insert into dose_rollups (site_code, minute, doses)
		select site_code, date_trunc('minute', occurred_at), count(*)::int
		from dose_events where status = 'completed' group by 1, 2`);
	await handle.rows(sql`analyze`);
}

/**
 * Bodies of `n` DoseEvents for one sender, cheaply: a template at random sites is built
 * once a second and each body only splices a fresh prefix into it (the load generator
 * shares the machine with the server and must not eat its CPU).
 */
export function doseBodies(sender: string, n: number, sites: number): () => string {
	const MARK = '\u0001';
	let parts: string[] = [];
	let builtAt = 0;
	let k = 0;
	return () => {
		if (Date.now() - builtAt > 1000) {
			parts = doseBody(MARK, n, sites).split(MARK);
			builtAt = Date.now();
		}
		return parts.join(`${sender}-${k++}`);
	};
}

/** A JSON array of `n` DoseEvents with unique ids, at random sites, occurring now. */
export function doseBody(prefix: string, n: number, sites: number): string {
	const at = new Date().toISOString();
	const parts: string[] = [];
	for (let i = 0; i < n; i++) {
		const site = siteCode(Math.floor(Math.random() * sites));
		parts.push(
			`{"id":"${prefix}-${i}","siteCode":"${site}","occurredAt":"${at}","vaccine":"COVISHIELD","dose":1,"beneficiaryRef":"B-${prefix}-${i}","vaccinatorRef":"V-${i % 97}","source":"live"}`
		);
	}
	return `[${parts.join(',')}]`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
	status: number;
	text: string;
}

/** A POST of `body` (a GET without one) with keep-alive; resolves with the status and text. */
export function send(
	url: string,
	token: string,
	body?: string,
	contentType = 'application/json'
): Promise<Answer> {
	return new Promise((ok, fail) => {
		const req = request(
			url,
			{
				method: body === undefined ? 'GET' : 'POST',
				agent,
				headers: {
					authorization: `Bearer ${token}`,
					...(body === undefined
						? {}
						: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) })
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
				);
				res.on('error', fail);
			}
		);
		req.on('error', fail);
		req.end(body);
	});
}

/** POST JSON with keep-alive. */
export const post = (url: string, body: string, token: string) => send(url, token, body);

export interface SustainedLoad<S> {
	elapsedSeconds: number;
	/** Items the 200 answers said were accepted, within the measured window. */
	acknowledged: number;
	failedRequests: number;
	firstFailure?: string;
	/** Request latencies in the window, ms, sorted. */
	latencies: number[];
	/** What `sample` read at the start and at the end of the window. */
	before: S;
	after: S;
}

/**
 * `senders` request loops at once, measured for `seconds` after a 3 s warm-up: what the
 * server acknowledged (`accepted` in its 200 answers) and how long each request took.
 * `request` gives a sender's next request, or null when it has nothing more to send.
 */
export async function sustainedLoad<S>(opts: {
	senders: number;
	seconds: number;
	request: (sender: number) => Promise<Answer> | null;
	/** Read at the start and the end of the measured window (the server's counters). */
	sample: () => Promise<S>;
}): Promise<SustainedLoad<S>> {
	let acknowledged = 0;
	let failedRequests = 0;
	let firstFailure: string | undefined;
	const latencies: number[] = [];
	let measuring = false;
	let stop = false;
	const sender = async (s: number) => {
		while (!stop) {
			const started = performance.now();
			const answer = opts.request(s);
			if (!answer) return;
			const res = await answer;
			if (!measuring || stop) continue;
			latencies.push(performance.now() - started);
			if (res.status === 200)
				acknowledged += (JSON.parse(res.text) as { accepted: number }).accepted;
			else {
				failedRequests++;
				firstFailure ??= `${res.status} ${res.text.slice(0, 200)}`;
			}
		}
	};
	const senders = Array.from({ length: opts.senders }, (_, s) => sender(s));
	try {
		await sleep(3000); // warm-up: JIT, connections, caches
		const before = await opts.sample();
		measuring = true;
		const started = performance.now();
		await sleep(opts.seconds * 1000);
		measuring = false;
		const elapsedSeconds = (performance.now() - started) / 1000;
		const after = await opts.sample();
		return {
			elapsedSeconds,
			acknowledged,
			failedRequests,
			...(firstFailure ? { firstFailure } : {}),
			latencies: latencies.sort((a, b) => a - b),
			before,
			after
		};
	} finally {
		stop = true;
		await Promise.all(senders);
	}
}

export interface FeedBatches {
	/** Transactions, items written in them, and seconds spent committing them. */
	count: number;
	items: number;
	seconds: number;
}

/** The server's group-commit counters for one feed (from /metrics). */
export async function feedBatches(url: string, feed: string): Promise<FeedBatches> {
	const text = await (await fetch(`${url}/metrics`)).text();
	const value = (name: string) =>
		Number(
			text
				.split('\n')
				.find((l) => l.startsWith(`${name}{feed="${feed}"}`))
				?.split(' ')
				.at(-1) ?? 0
		);
	return {
		count: value('cc_ingest_batch_items_count'),
		items: value('cc_ingest_batch_items_sum'),
		seconds: value('cc_ingest_commit_seconds_sum')
	};
}

/** Average items a transaction and commit time between two readings; null when none ran. */
export function batchFigures(before: FeedBatches, after: FeedBatches) {
	const n = after.count - before.count;
	return {
		itemsPerTransaction: n > 0 ? round((after.items - before.items) / n) : null,
		commitMs: n > 0 ? round((1000 * (after.seconds - before.seconds)) / n, 1) : null
	};
}

/** One value from the server's /metrics (the first sample of that name). */
export async function metric(url: string, name: string): Promise<number | null> {
	const text = await (await fetch(`${url}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
	return line ? Number(line.split(' ').at(-1)) : null;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export const round = (n: number, digits = 0) => Number(n.toFixed(digits));
