import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { archiveCommand } from '../../server/admin/commands/archive';
import { forEachDatabase } from './databases';

const TZ = 'Asia/Kolkata';
const now = new Date('2021-03-01T06:00:00Z');

forEachDatabase('archiving old raw rows', (db) => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'ldcc-archive-'));
		await db().rows(sql`
			insert into heartbeats (site_code, at, device)
			select 'S' || (i % 3), timestamptz '2021-01-10 00:00+05:30' + i * interval '1 hour', 'tab'
			from generate_series(0, 999) i`);
		await db().rows(sql`
			insert into sms_reports (message_id, status, at)
			values ('M-old', 'delivered', '2021-01-15T10:00:00+05:30'),
				('M-new', 'delivered', '2021-02-20T10:00:00+05:30')`);
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it('moves rows from before the date to gzip NDJSON files, and keeps the rest', async () => {
		const out = await archiveCommand(db(), { before: '2021-02-01', dir }, TZ, now);
		expect(out).toMatch(/sms_reports: 1 rows/);
		const reports = gunzipSync(await readFile(join(dir, 'sms_reports-before-2021-02-01.ndjson.gz')))
			.toString()
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(reports).toEqual([
			expect.objectContaining({ message_id: 'M-old', status: 'delivered' })
		]);
		const beats = gunzipSync(await readFile(join(dir, 'heartbeats-before-2021-02-01.ndjson.gz')))
			.toString()
			.trim()
			.split('\n');
		// From 10 Jan 00:00 IST, an hour apart, until 1 Feb 00:00 IST: 22 days × 24.
		expect(beats).toHaveLength(22 * 24);
		const [left] = await db().rows<{ n: number; first: string }>(
			sql`select count(*)::int as n, min(at)::text as first from heartbeats`
		);
		expect(left.n).toBe(1000 - 22 * 24);
		expect(new Date(left.first).getTime()).toBe(Date.parse('2021-02-01T00:00:00+05:30'));
		const [kept] = await db().rows<{ id: string }>(sql`select message_id as id from sms_reports`);
		expect(kept.id).toBe('M-new');
	});

	it('archives nothing twice, and refuses a date less than a week old', async () => {
		const again = await archiveCommand(db(), { before: '2021-02-01', dir }, TZ, now);
		expect(again).toMatch(/sms_reports: 0 rows/);
		await expect(archiveCommand(db(), { before: '2021-02-25', dir }, TZ, now)).rejects.toThrow(
			/at least 7 days ago/
		);
	});
});
