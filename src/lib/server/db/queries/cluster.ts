import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '../client';

/**
 * Inside a write transaction: this transaction's id, and (with several nodes) the
 * transaction's live change sent on `channel`. NOTIFY is transactional: the other nodes
 * hear the change only if, and once, the rows commit. Each payload is prefixed with the
 * transaction id, so a node that reloads from a snapshot can tell which changes it holds.
 */
export async function announceChange(
	db: Db,
	notify: { channel: string; payloads: string[] } | null
): Promise<string> {
	const result = notify?.payloads.length
		? await db.execute(sql`
			select pg_current_xact_id()::text as tx,
				(select count(pg_notify(${notify.channel}, pg_current_xact_id()::text || ' ' || p))
					from unnest(${sql.param(notify.payloads)}::text[]) p) as sent`)
		: await db.execute(sql`select pg_current_xact_id()::text as tx`);
	return resultRows<{ tx: string }>(result)[0].tx;
}

/** The snapshot a read transaction sees ('xmin:xmax:xip,…'), to tell which writes it holds. */
export async function currentSnapshot(db: Db): Promise<string> {
	const result = await db.execute(sql`select pg_current_snapshot()::text as snapshot`);
	return resultRows<{ snapshot: string }>(result)[0].snapshot;
}

/**
 * Ask every running node to read its live state again (sent on `channel` at commit, or at
 * once outside a transaction): for changes written without the feeds, e.g. by an admin
 * command run straight against the database.
 */
export async function requestReload(db: Db, channel: string, reason: string): Promise<void> {
	await db.execute(sql`select pg_notify(${channel}, ${reason})`);
}
