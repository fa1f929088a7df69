import { and, asc, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { resultRows, type Db } from '../client';
import { alertEvents, alerts } from '../schema';

export async function listOpenAlerts(db: Db) {
	return db
		.select({
			id: alerts.id,
			kind: alerts.kind,
			status: alerts.status,
			openedAt: alerts.openedAt,
			districtCode: alerts.districtCode,
			siteCode: alerts.siteCode,
			parentId: alerts.parentId,
			summary: alerts.summary
		})
		.from(alerts)
		.where(inArray(alerts.status, ['open', 'acknowledged']));
}

// ---- the life of an alert: stall alerts, acknowledgement, assignment, notes -------------

export type AlertRow = typeof alerts.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;

/**
 * Serialise stall alert passes across processes sharing one database, held until the
 * transaction ends. 0x7374616c = 'stal'.
 */
export async function lockStallAlerts(tx: Db): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${0x7374616c}::bigint)`);
}

/** Open and acknowledged alerts of these kinds. */
export async function openAlertsOfKinds(db: Db, kinds: string[]): Promise<AlertRow[]> {
	return db
		.select()
		.from(alerts)
		.where(and(inArray(alerts.kind, kinds), inArray(alerts.status, ['open', 'acknowledged'])));
}

export async function getAlert(db: Db, id: string): Promise<AlertRow | null> {
	const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
	return row ?? null;
}

/** Alerts whose parent is one of these, still open or acknowledged. */
export async function openChildAlerts(db: Db, parentIds: string[]): Promise<AlertRow[]> {
	if (parentIds.length === 0) return [];
	return db
		.select()
		.from(alerts)
		.where(
			and(inArray(alerts.parentId, parentIds), inArray(alerts.status, ['open', 'acknowledged']))
		);
}

export type NewAlert = Pick<
	typeof alerts.$inferInsert,
	'kind' | 'openedAt' | 'districtCode' | 'siteCode' | 'parentId' | 'summary' | 'detail'
>;

export async function insertAlerts(db: Db, rows: NewAlert[]): Promise<AlertRow[]> {
	if (rows.length === 0) return [];
	return db
		.insert(alerts)
		.values(rows.map((r) => ({ ...r, status: 'open' as const })))
		.returning();
}

export async function updateAlertSummary(
	db: Db,
	id: string,
	params: { summary: string; detail: unknown }
): Promise<AlertRow | null> {
	const [row] = await db
		.update(alerts)
		.set({ summary: params.summary, detail: params.detail })
		.where(eq(alerts.id, id))
		.returning();
	return row ?? null;
}

/** Move open alerts under another parent (null: none). */
export async function setAlertParents(
	db: Db,
	moves: { id: string; parentId: string | null }[]
): Promise<AlertRow[]> {
	if (moves.length === 0) return [];
	const ids = moves.map((m) => m.id);
	const parents = moves.map((m) => m.parentId);
	const result = await db.execute(sql`
		update alerts a set parent_id = m.parent_id::uuid
		from unnest(${sql.param(ids)}::text[], ${sql.param(parents)}::text[]) as m(id, parent_id)
		where a.id = m.id::uuid and a.status in ('open', 'acknowledged')
		returning a.id`);
	const moved = resultRows<{ id: string }>(result).map((r) => r.id);
	if (moved.length === 0) return [];
	return db.select().from(alerts).where(inArray(alerts.id, moved));
}

/** Close open alerts; returns those that were open. */
export async function resolveAlerts(db: Db, ids: string[], closedAt: Date): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.update(alerts)
		.set({ status: 'resolved', closedAt })
		.where(and(inArray(alerts.id, ids), inArray(alerts.status, ['open', 'acknowledged'])))
		.returning({ id: alerts.id });
	return rows.map((r) => r.id);
}

/** Mark open alerts acknowledged; returns those that changed. */
export async function acknowledgeAlerts(db: Db, ids: string[]): Promise<AlertRow[]> {
	if (ids.length === 0) return [];
	return db
		.update(alerts)
		.set({ status: 'acknowledged' })
		.where(and(inArray(alerts.id, ids), eq(alerts.status, 'open')))
		.returning();
}

export async function addAlertEvents(
	db: Db,
	events: {
		alertId: string;
		kind: AlertEventRow['kind'];
		actor: string;
		text?: string | null;
		at?: Date;
	}[]
): Promise<void> {
	if (events.length === 0) return;
	await db.insert(alertEvents).values(
		events.map((e) => ({
			alertId: e.alertId,
			kind: e.kind,
			actor: e.actor,
			text: e.text ?? null,
			...(e.at ? { at: e.at } : {})
		}))
	);
}

/**
 * Alerts for the alert list: every open or acknowledged one, and those resolved since
 * `resolvedSince`; limited to `districts` (alerts of no district are the state's: shown to all).
 */
export async function listAlertsForReview(
	db: Db,
	params: { resolvedSince: Date; districts?: string[]; limit: number }
): Promise<AlertRow[]> {
	return db
		.select()
		.from(alerts)
		.where(
			and(
				or(
					inArray(alerts.status, ['open', 'acknowledged']),
					gte(alerts.closedAt, params.resolvedSince)
				),
				params.districts
					? or(isNull(alerts.districtCode), inArray(alerts.districtCode, params.districts))
					: undefined
			)
		)
		.orderBy(desc(alerts.openedAt))
		.limit(params.limit);
}

/** The recorded life of these alerts, oldest first. */
export async function alertEventsFor(db: Db, alertIds: string[]): Promise<AlertEventRow[]> {
	if (alertIds.length === 0) return [];
	return db
		.select()
		.from(alertEvents)
		.where(inArray(alertEvents.alertId, alertIds))
		.orderBy(asc(alertEvents.at), asc(alertEvents.id));
}
