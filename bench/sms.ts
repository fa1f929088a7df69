/**
 * SMS delivery reports through the real HTTP feed of a real server process (JSON reports
 * or SMPP receipt lines): parsing, the forward-only status move, the board's rollups and
 * the live change, one group-committed transaction per batch; counted when the 200 came
 * back. Then the board's queries over a day of `messages` messages (rollups, not scans).
 */
import { sql } from 'drizzle-orm';
import { rebuildSmsRollups } from '../src/lib/server/db/queries/sms-ops';
import type { Db } from '../src/lib/server/db/client';
import { localDate, localParts, startOfLocalDay } from '../src/lib/shared/time';
import { startServerProcess } from '../tests/support/server-process';
import {
	batchFigures,
	feedBatches,
	freshPglite,
	freshPostgres,
	log,
	percentile,
	round,
	seedState,
	send,
	sustainedLoad,
	TZ,
	type BenchDatabase
} from './support';

export interface SmsBenchOptions {
	kind: 'postgres' | 'pglite';
	seconds: number;
	/** Requests in flight at once. */
	senders: number;
	/** Reports per request. */
	batch: number;
	sites: number;
	/** JSON SmsReports to /api/v1/sms/reports, or SMPP receipts to /api/v1/sms/smpp-dlr. */
	form: 'json' | 'smpp';
	/** Messages held today before the run (the board is then read over all of them). */
	messages: number;
	/** Board reads to time after the run. */
	boardReads?: number;
}

export interface SmsBenchResult {
	database: 'postgres' | 'pglite';
	form: 'json' | 'smpp';
	reportsPerSecond: number;
	seconds: number;
	acknowledged: number;
	senders: number;
	reportsPerRequest: number;
	/** Requests that did not get a 200 (none expected), and what the first one said. */
	failedRequests: number;
	firstFailure?: string;
	requestLatencyMs: { p50: number; p99: number };
	/** Average reports per transaction (group commit), from the server's metrics. */
	reportsPerTransaction: number | null;
	/** Average time to write and commit one such transaction. */
	commitMs: number | null;
	/** Every acknowledged report was in the database afterwards. */
	allAcknowledgedStored: boolean;
	/** Messages held when the board was read. */
	messages: number;
	/** GET /api/v1/sms/board (districts, 6 hours of failures by reason, worst sites). */
	boardMs: { p50: number; p99: number };
	/** GET /api/v1/sms/districts (the map layer). */
	districtsMs: { p50: number; p99: number };
}

/**
 * `count` messages sent today so far at `sites` sites, written by the database itself:
 * the first `pending` still wait for a report (the run reports on them), the rest are
 * delivered or failed in the proportions a bad launch day has. Rollups built after.
 */
async function generateMessages(
	db: Db,
	opts: { count: number; pending: number; sites: number }
): Promise<void> {
	const start = startOfLocalDay(new Date(), TZ).toISOString();
	const day = localDate(new Date(), TZ);
	const step = 500_000;
	for (let first = 0; first < opts.count; first += step) {
		const last = Math.min(first + step, opts.count) - 1;
		await db.execute(sql`
			insert into sms_messages (message_id, beneficiary_ref, site_code, kind, sent_at, phone,
				session_date, status, status_at, reason_group)
			select 'BM-' || i, 'BEN-' || i, 'BS' || lpad((i % ${opts.sites}::int)::text, 5, '0'),
				'appointment', t.sent_at, '+9198' || lpad((i % 100000000)::text, 8, '0'), ${day}::date,
				s.status, case when s.status = 'queued' then null else t.sent_at + interval '1 minute' end,
				case s.status when 'undelivered' then 'invalid_number' when 'expired' then 'expired' end
			from generate_series(${first}::int, ${last}::int) i,
				lateral (select ${start}::timestamptz + (now() - interval '2 minutes' - ${start}::timestamptz)
					* ((i::bigint * 7919) % ${opts.count}::int)::float8 / ${opts.count}::int as sent_at) t,
				lateral (select case when i < ${opts.pending}::int then 'queued'
					when i % 9 = 0 then 'undelivered' when i % 13 = 0 then 'expired'
					else 'delivered' end as status) s`);
	}
	await db.transaction(async (tx) => rebuildSmsRollups(tx as unknown as Db, TZ));
	await db.execute(sql`analyze`);
}

/** A body of reports on messages [from, from + n): JSON or SMPP receipt lines. */
function reportBody(form: 'json' | 'smpp', from: number, n: number): string {
	const at = new Date();
	if (form === 'json') {
		const iso = at.toISOString();
		const parts: string[] = [];
		for (let i = from; i < from + n; i++) {
			parts.push(
				i % 4 === 0
					? `{"messageId":"BM-${i}","status":"undelivered","at":"${iso}","errorCode":"30003"}`
					: `{"messageId":"BM-${i}","status":"delivered","at":"${iso}"}`
			);
		}
		return `[${parts.join(',')}]`;
	}
	const p = localParts(at, TZ);
	const stamp = [p.year % 100, p.month, p.day, p.hour, p.minute, p.second]
		.map((v) => String(v).padStart(2, '0'))
		.join('');
	const lines: string[] = [];
	for (let i = from; i < from + n; i++) {
		const stat = i % 4 === 0 ? 'UNDELIV err:001' : 'DELIVRD err:000';
		lines.push(
			`id:BM-${i} sub:001 dlvrd:001 submit date:${stamp} done date:${stamp} stat:${stat} text:Your vaccination`
		);
	}
	return lines.join('\n');
}

export async function benchSms(opts: SmsBenchOptions): Promise<SmsBenchResult> {
	const db: BenchDatabase = opts.kind === 'postgres' ? await freshPostgres() : await freshPglite();
	try {
		let handle = await db.open();
		const tokens = await seedState(handle, opts.sites);
		// Enough waiting messages for the run at up to 20,000 reports a second.
		const pending = Math.min(opts.messages, Math.max(opts.seconds + 10, 20) * 20_000);
		log(`sms ${opts.kind}: generating ${opts.messages} messages`);
		await generateMessages(handle.db, { count: opts.messages, pending, sites: opts.sites });
		await handle.close();
		const server = await startServerProcess({
			env: { ...db.env, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'error' },
			dataDir: db.env.DATA_DIR,
			readyTimeoutMs: 300_000
		});
		const path = opts.form === 'json' ? '/api/v1/sms/reports' : '/api/v1/sms/smpp-dlr';
		const type = opts.form === 'json' ? 'application/json' : 'text/plain';
		let next = 0;
		try {
			const load = await sustainedLoad({
				senders: opts.senders,
				seconds: opts.seconds,
				request: () => {
					if (next + opts.batch > pending) return null;
					const from = next;
					next += opts.batch;
					return send(
						`${server.url}${path}`,
						tokens.ingest,
						reportBody(opts.form, from, opts.batch),
						type
					);
				},
				sample: () => feedBatches(server.url, 'sms-reports')
			});
			const { acknowledged, latencies } = load;

			const time = async (route: string) => {
				const ms: number[] = [];
				for (let i = 0; i < (opts.boardReads ?? 20); i++) {
					const t = performance.now();
					const res = await send(`${server.url}${route}`, tokens.read);
					if (res.status !== 200) throw new Error(`${route}: ${res.status} ${res.text}`);
					ms.push(performance.now() - t);
				}
				ms.sort((a, b) => a - b);
				return { p50: round(percentile(ms, 50), 1), p99: round(percentile(ms, 99), 1) };
			};
			const boardMs = await time('/api/v1/sms/board');
			const districtsMs = await time('/api/v1/sms/districts');
			await server.stop();
			handle = await db.open();
			const [{ n }] = await handle.rows<{ n: number }>(
				sql`select count(*)::int as n from sms_reports`
			);
			await handle.close();
			const batches = batchFigures(load.before, load.after);
			const result: SmsBenchResult = {
				database: opts.kind,
				form: opts.form,
				reportsPerSecond: round(acknowledged / load.elapsedSeconds),
				seconds: round(load.elapsedSeconds, 1),
				acknowledged,
				senders: opts.senders,
				reportsPerRequest: opts.batch,
				failedRequests: load.failedRequests,
				...(load.firstFailure ? { firstFailure: load.firstFailure } : {}),
				requestLatencyMs: {
					p50: round(percentile(latencies, 50), 1),
					p99: round(percentile(latencies, 99), 1)
				},
				reportsPerTransaction: batches.itemsPerTransaction,
				commitMs: batches.commitMs,
				allAcknowledgedStored: n >= acknowledged,
				messages: opts.messages,
				boardMs,
				districtsMs
			};
			log(
				`sms ${opts.kind} ${opts.form}: ${result.reportsPerSecond} reports/s; board p50 ${boardMs.p50} ms over ${opts.messages} messages`
			);
			return result;
		} finally {
			await server.stop();
		}
	} finally {
		await db.drop();
	}
}

/** `npx tsx bench/sms.ts`: one run on PostgreSQL, printed as JSON. */
if (import.meta.url === `file://${process.argv[1]}`) {
	const quick = ['1', 'true', 'yes'].includes(process.env.BENCH_QUICK ?? '');
	benchSms({
		kind: (process.env.BENCH_DB as 'postgres' | 'pglite') ?? 'postgres',
		form: (process.env.BENCH_FORM as 'json' | 'smpp') ?? 'json',
		seconds: quick ? 10 : 30,
		senders: Number(process.env.BENCH_SENDERS ?? 16),
		batch: Number(process.env.BENCH_BATCH ?? 1000),
		sites: 2000,
		messages: quick ? 300_000 : 5_000_000
	})
		.then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
		.catch((err) => {
			console.error(err);
			process.exit(1);
		});
}
