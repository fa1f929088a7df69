import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	deleteHealthAggregatesBefore,
	deleteHealthSamplesBefore,
	downsampleHealthSamples,
	oldestHealthSampleAt
} from '../../src/lib/server/db/queries/health';
import { getMeta, setMeta } from '../../src/lib/server/db/queries/meta';

export interface RetentionPolicy {
	/** Raw samples older than this are folded into 5-minute buckets. */
	downsampleAfterMs: number;
	/** Raw samples older than this are deleted (never before they are folded). */
	rawKeepMs: number;
	/** Buckets older than this are deleted. */
	aggregateKeepMs: number;
}

export interface RetentionResult {
	buckets: number;
	rawDeleted: number;
	aggregatesDeleted: number;
	/** Raw samples before this time have been folded. */
	downsampledUntil: string;
}

const BUCKET_MS = 5 * 60_000;
const DAY_MS = 24 * 3_600_000;
/** Where the folding got to, so each run folds only what is new. */
const WATERMARK = 'health.downsampled_until';

const floorBucket = (ms: number) => Math.floor(ms / BUCKET_MS) * BUCKET_MS;

/**
 * Fold raw health samples older than the raw window into 5-minute buckets (a day at a time,
 * each day in its own transaction with the watermark), then delete raw samples and buckets
 * past their keep. A sample pushed later than the watermark with an older time stays raw
 * until it is deleted (it is not folded).
 */
export async function runRetention(
	handle: DbHandle,
	policy: RetentionPolicy,
	now: Date
): Promise<RetentionResult> {
	const db = handle.db;
	const until = floorBucket(now.getTime() - policy.downsampleAfterMs);
	const mark = await getMeta(db, WATERMARK);
	let from: number;
	if (mark) from = Date.parse(mark);
	else {
		const oldest = await oldestHealthSampleAt(db);
		from = oldest ? floorBucket(oldest.getTime()) : until;
	}
	let buckets = 0;
	while (from < until) {
		// Skip stretches without samples (a server that was off for days) in one step.
		const next = await oldestHealthSampleAt(db, new Date(from));
		const start = next ? Math.max(from, floorBucket(next.getTime())) : until;
		const to = start >= until ? until : Math.min(until, start + DAY_MS);
		await db.transaction(async (txAny) => {
			const tx = txAny as unknown as Db;
			if (start < to)
				buckets += await downsampleHealthSamples(tx, { from: new Date(start), to: new Date(to) });
			await setMeta(tx, WATERMARK, new Date(to).toISOString());
		});
		from = to;
	}
	// Everything before `from` is folded now: raw samples there may go once past their keep.
	const rawDeleted = await deleteHealthSamplesBefore(
		db,
		new Date(Math.min(now.getTime() - policy.rawKeepMs, from))
	);
	const aggregatesDeleted = await deleteHealthAggregatesBefore(
		db,
		new Date(now.getTime() - policy.aggregateKeepMs)
	);
	return {
		buckets,
		rawDeleted,
		aggregatesDeleted,
		downsampledUntil: new Date(from).toISOString()
	};
}
