import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '../client';

/**
 * Raw rows that may leave the database once old, and the time that ages them. What the
 * screens and reports read is kept elsewhere: a message row keeps its latest status, a
 * site its latest heartbeat, the review its day rollups. Dose rows are the record of who
 * was vaccinated and are never archived; health samples have their own retention.
 */
export const archivable = {
	sms_reports: 'at',
	heartbeats: 'at',
	sms_messages: 'sent_at'
} as const;
export type ArchiveTable = keyof typeof archivable;

/**
 * Inside the caller's transaction: delete up to `limit` rows of `table` older than
 * `before` and return them as JSON text. The caller writes them out before committing.
 */
export async function takeOldRows(
	db: Db,
	table: ArchiveTable,
	before: Date,
	limit: number
): Promise<string[]> {
	const t = sql.identifier(table);
	const at = sql.identifier(archivable[table]);
	const result = await db.execute(sql`
		delete from ${t} as old
		where ctid in (
			select ctid from ${t} where ${at} < ${before.toISOString()}::timestamptz limit ${limit}
		)
		returning row_to_json(old)::text as row`);
	return resultRows<{ row: string }>(result).map((r) => r.row);
}
