import type { DbHandle } from '../../../src/lib/server/db/client';
import {
	markReplayed,
	markReplayFailed,
	pendingQuarantine
} from '../../../src/lib/server/db/queries/quarantine';
import { COMPLAINT_QUARANTINE } from '../../../src/lib/shared/complaint';
import { reparseQuarantined } from '../../feeds/forms';
import type { Ingest } from '../../feeds/ingest';
import { BodyError } from '../../feeds/parse';

export interface ReplayReport {
	replayed: number;
	stillRejected: number;
}

/**
 * Send quarantined items through the feed they came from again (for example once their
 * site exists). An accepted or duplicate item is marked replayed; one refused again
 * stays, with the new reason and an attempt counted.
 */
export async function replayQuarantine(
	handle: DbHandle,
	ingest: Ingest,
	opts: { feed?: string; timeZone: string; onProgress?: (done: number) => void }
): Promise<ReplayReport> {
	const report: ReplayReport = { replayed: 0, stillRejected: 0 };
	let afterId: number | undefined;
	for (;;) {
		const page = await pendingQuarantine(handle.db, { feed: opts.feed, afterId, limit: 500 });
		if (page.length === 0) break;
		for (const entry of page) {
			afterId = entry.id;
			// Not a feed: complaints are filed again through their own path
			// (POST /api/v1/complaints/replay); left as they are, their reason kept.
			if (entry.feed === COMPLAINT_QUARANTINE) continue;
			let error: string | null;
			try {
				const { feed, parsed } = reparseQuarantined(entry.feed, entry.item, {
					timeZone: opts.timeZone
				});
				const result = await ingest.submit(feed, { parsed, form: entry.feed, quarantine: false });
				error =
					result.rejected[0]?.error ??
					(result.accepted + result.duplicates > 0 ? null : 'nothing to replay');
			} catch (e) {
				if (!(e instanceof BodyError)) throw e;
				error = e.message;
			}
			if (error === null) {
				await markReplayed(handle.db, entry.id, new Date());
				report.replayed++;
			} else {
				await markReplayFailed(handle.db, entry.id, error);
				report.stillRejected++;
			}
		}
		opts.onProgress?.(report.replayed + report.stillRejected);
	}
	return report;
}

export async function listQuarantineCommand(
	handle: DbHandle,
	opts: { feed?: string; limit: number }
): Promise<string> {
	const rows = await pendingQuarantine(handle.db, { feed: opts.feed, limit: opts.limit });
	if (rows.length === 0) return 'quarantine is empty';
	return rows
		.map(
			(r) =>
				`#${r.id}  ${r.feed}  ${r.receivedAt.toISOString()}  ${r.error}  attempts ${r.replayAttempts}\n` +
				`    ${JSON.stringify(r.item).slice(0, 300)}`
		)
		.join('\n');
}
