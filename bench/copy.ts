/**
 * The raw limits of the same table on the same PostgreSQL: COPY (no parsing, no checks,
 * no rollups), and the hot-path statement alone (one 5,000-row INSERT … ON CONFLICT with
 * its rollup upserts, back to back from one connection, with no HTTP, JSON or
 * live state). Our feed rate is reported as a share of each.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { insertDoses } from '../src/lib/server/db/queries/dose';
import type { DoseRecord } from '../src/lib/shared/feeds';
import { freshPostgres, log, round, seedState, siteCode, TZ } from './support';

export interface RawLimits {
	/** Rows per second loaded by COPY … FROM STDIN. */
	copyRowsPerSecond: number;
	copyRows: number;
	/** Rows per second through the feed's own statement (raw rows and rollups). */
	hotStatementRowsPerSecond: number;
	hotStatementRows: number;
}

export async function benchRawLimits(opts: {
	copyRows: number;
	statementSeconds: number;
	sites: number;
}): Promise<RawLimits> {
	const db = await freshPostgres();
	try {
		const handle = await db.open();
		await seedState(handle, opts.sites);
		await handle.close();

		// COPY: text format, one line per dose, generated as it streams.
		const sql = postgres(db.url, { max: 1, onnotice: () => {} });
		const at = new Date().toISOString();
		const lines = function* () {
			const chunk: string[] = [];
			for (let i = 0; i < opts.copyRows; i++) {
				chunk.push(
					`C-${i}\t${siteCode(i % opts.sites)}\t${at}\tCOVISHIELD\t1\tB-C-${i}\tV-${i % 97}\t\\N\tlive\n`
				);
				if (chunk.length === 5000) {
					yield chunk.join('');
					chunk.length = 0;
				}
			}
			if (chunk.length) yield chunk.join('');
		};
		const started = performance.now();
		const writable = await sql`copy dose_events
			(id, site_code, occurred_at, vaccine, dose, beneficiary_ref, vaccinator_ref, session_id, source)
			from stdin`.writable();
		await pipeline(Readable.from(lines()), writable);
		const copySeconds = (performance.now() - started) / 1000;
		await sql.end();
		log(`COPY: ${round(opts.copyRows / copySeconds)} rows/s`);

		// The hot statement, 5,000 rows at a time from one connection, for a fixed time.
		const h = await db.open();
		let n = 0;
		let rows = 0;
		const batch = (): DoseRecord[] =>
			Array.from({ length: 5000 }, () => {
				const i = n++;
				return {
					id: `H-${i}`,
					siteCode: siteCode(i % opts.sites),
					occurredAt: new Date(),
					vaccine: 'COVISHIELD',
					dose: 1,
					beneficiaryRef: `B-H-${i}`,
					vaccinatorRef: `V-${i % 97}`,
					sessionId: null,
					source: 'live',
					status: 'completed'
				};
			});
		let next = batch();
		let busy = 0;
		const deadline = performance.now() + opts.statementSeconds * 1000;
		while (performance.now() < deadline) {
			const rowsNow = next;
			const t = performance.now();
			await h.db.transaction(async (tx) => {
				await insertDoses(tx as never, rowsNow, TZ);
			});
			busy += performance.now() - t;
			rows += rowsNow.length;
			next = batch(); // built outside the timed part: this measures the database
		}
		await h.close();
		const hot = rows / (busy / 1000);
		log(`hot statement: ${round(hot)} rows/s`);
		return {
			copyRowsPerSecond: round(opts.copyRows / copySeconds),
			copyRows: opts.copyRows,
			hotStatementRowsPerSecond: round(hot),
			hotStatementRows: rows
		};
	} finally {
		await db.drop();
	}
}
