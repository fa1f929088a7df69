import { open, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { DbHandle, Db } from '../../../src/lib/server/db/client';
import { takeOldRows, type ArchiveTable } from '../../../src/lib/server/db/queries/archive';
import { localDate, zonedTime } from '../../../src/lib/shared/time';

/** Rows per transaction: each batch is written to the file, then deleted. */
const BATCH = 10_000;
/** Nothing this recent is archived, whatever was asked: call lists and reviews still read it. */
const MIN_AGE_DAYS = 7;

const args = z.object({
	before: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'needs --before YYYY-MM-DD'),
	dir: z.string().min(1, 'needs --dir PATH (where the .ndjson.gz files go)'),
	messages: z.boolean()
});

/**
 * `admin archive --before DATE --dir PATH [--messages]`: raw SMS delivery reports and
 * heartbeats (and, with --messages, SMS messages) from before DATE (in APP_TIMEZONE) move
 * to gzip NDJSON files, one per table, appended to on each run. Each batch reaches the
 * disk before its rows are deleted: a failure leaves the rows in the database, and at
 * worst a row twice in the file (each carries its key).
 */
export async function archiveCommand(
	handle: DbHandle,
	input: { before?: string; dir?: string; messages?: boolean },
	timeZone: string,
	now = new Date()
): Promise<string> {
	const a = args.parse({
		before: input.before ?? '',
		dir: input.dir ?? '',
		messages: input.messages ?? false
	});
	const newest = localDate(new Date(now.getTime() - MIN_AGE_DAYS * 86_400_000), timeZone);
	if (a.before > newest) {
		throw new z.ZodError([
			{
				code: 'custom',
				path: ['before'],
				message: `must be ${newest} or earlier (at least ${MIN_AGE_DAYS} days ago)`,
				input: a.before
			}
		]);
	}
	const cutoff = zonedTime(a.before, '00:00', timeZone);
	const dir = resolve(a.dir);
	await mkdir(dir, { recursive: true });
	const tables: ArchiveTable[] = [
		'sms_reports',
		'heartbeats',
		...(a.messages ? ['sms_messages' as const] : [])
	];
	const lines: string[] = [];
	for (const table of tables) {
		const file = join(dir, `${table}-before-${a.before}.ndjson.gz`);
		let moved = 0;
		for (;;) {
			const n = await handle.db.transaction(async (tx) => {
				const rows = await takeOldRows(tx as unknown as Db, table, cutoff, BATCH);
				if (rows.length > 0) await appendDurably(file, gzipSync(rows.join('\n') + '\n'));
				return rows.length;
			});
			moved += n;
			if (n < BATCH) break;
		}
		lines.push(`${table}: ${moved} rows${moved ? ` to ${file}` : ''}`);
	}
	return lines.join('\n');
}

/** Append and flush to disk (gzip members one after another are one valid gzip file). */
async function appendDurably(file: string, data: Buffer): Promise<void> {
	const fd = await open(file, 'a');
	try {
		await fd.write(data);
		await fd.sync();
	} finally {
		await fd.close();
	}
}
