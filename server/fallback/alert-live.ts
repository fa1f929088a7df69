import type { AlertRow } from '../../src/lib/server/db/queries/alert';
import type { AlertLive } from '../../src/lib/shared/live';

/** An alert row as the live picture shows it (open and acknowledged alerts only). */
export function alertLive(row: AlertRow): AlertLive {
	return {
		id: row.id,
		kind: row.kind,
		status: row.status === 'acknowledged' ? 'acknowledged' : 'open',
		openedAt: row.openedAt.toISOString(),
		districtCode: row.districtCode ?? undefined,
		siteCode: row.siteCode ?? undefined,
		parentId: row.parentId ?? undefined,
		summary: row.summary
	};
}
