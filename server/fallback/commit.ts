import type { Db, DbHandle } from '../../src/lib/server/db/client';
import type { LiveChange } from '../live/change';

/** How an officer's write reaches the live picture: committed first, then published. */
export interface ChangeSink {
	handle: DbHandle;
	/** Make a committed change live, on this node and the others (Services.publish). */
	publish(change: LiveChange): void;
}

/** Thrown inside a transaction to undo it on purpose (a preview). */
class Rollback<T> extends Error {
	constructor(readonly value: T) {
		super('rolled back on purpose');
	}
}

/**
 * Run `write` in one transaction and publish its live change once it has committed. With
 * `dryRun` the same work is done and rolled back: the answer is what would have happened,
 * and nothing is written or published.
 */
export async function commitWithChange<T>(
	sink: ChangeSink,
	write: (tx: Db) => Promise<{ value: T; change: LiveChange | null }>,
	options: { dryRun?: boolean } = {}
): Promise<T> {
	let done: { value: T; change: LiveChange | null };
	try {
		done = await sink.handle.db.transaction(async (txAny) => {
			const result = await write(txAny as unknown as Db);
			if (options.dryRun) throw new Rollback(result.value);
			return result;
		});
	} catch (error) {
		if (error instanceof Rollback) return error.value as T;
		throw error;
	}
	if (done.change) sink.publish(done.change);
	return done.value;
}
