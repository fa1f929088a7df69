import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { quarantine } from '../schema';

export interface QuarantineEntry {
	feed: string;
	error: string;
	item: unknown;
}

export async function quarantineItems(db: Db, entries: QuarantineEntry[]): Promise<void> {
	if (entries.length === 0) return;
	// jsonb cannot hold a bare undefined; keep the fact that nothing was sent.
	await db
		.insert(quarantine)
		.values(entries.map((e) => ({ feed: e.feed, error: e.error, item: e.item ?? null })));
}

export interface QuarantinedItem {
	id: number;
	feed: string;
	error: string;
	item: unknown;
	receivedAt: Date;
	replayAttempts: number;
}

/** Items still waiting, oldest first, in pages by id. */
export async function pendingQuarantine(
	db: Db,
	opts: { feed?: string; afterId?: number; limit: number }
): Promise<QuarantinedItem[]> {
	return db
		.select({
			id: quarantine.id,
			feed: quarantine.feed,
			error: quarantine.error,
			item: quarantine.item,
			receivedAt: quarantine.receivedAt,
			replayAttempts: quarantine.replayAttempts
		})
		.from(quarantine)
		.where(
			and(
				isNull(quarantine.replayedAt),
				opts.feed ? eq(quarantine.feed, opts.feed) : undefined,
				opts.afterId !== undefined ? gt(quarantine.id, opts.afterId) : undefined
			)
		)
		.orderBy(asc(quarantine.id))
		.limit(opts.limit);
}

export async function markReplayed(db: Db, id: number, at: Date): Promise<void> {
	await db.update(quarantine).set({ replayedAt: at }).where(eq(quarantine.id, id));
}

/** A replay that failed again: keep the item, count the attempt, note the latest reason. */
export async function markReplayFailed(db: Db, id: number, error: string): Promise<void> {
	await db
		.update(quarantine)
		.set({ error, replayAttempts: sql`${quarantine.replayAttempts} + 1` })
		.where(eq(quarantine.id, id));
}

export async function countPendingQuarantine(db: Db): Promise<number> {
	const rows = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(quarantine)
		.where(isNull(quarantine.replayedAt));
	return Number(rows[0]?.n ?? 0);
}
