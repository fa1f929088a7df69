import { and, desc, eq, gte, ilike, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { auditLog } from '../schema';

export type AuditEntry = typeof auditLog.$inferSelect;

export interface AuditInput {
	/** Who acted: a username, a token name, or a tool such as 'admin-cli'. */
	actor: string;
	/** Dotted verb, e.g. 'auth.sign_in', 'site.mode'. */
	action: string;
	target?: string | null;
	/** Structured context; never secrets, passwords or personal data. */
	detail?: Record<string, unknown> | null;
	ip?: string | null;
	/** Defaults to the database's now(). */
	at?: Date;
}

/** The log is append-only: this module has no update or delete for it, by design. */
export async function appendAudit(db: Db, entry: AuditInput): Promise<void> {
	await db.insert(auditLog).values({
		actor: entry.actor,
		action: entry.action,
		target: entry.target ?? null,
		detail: entry.detail ?? null,
		ip: entry.ip ?? null,
		...(entry.at ? { at: entry.at } : {})
	});
}

/** Newest first. */
export async function listAudit(
	db: Db,
	params: { limit: number; action?: string }
): Promise<AuditEntry[]> {
	return db
		.select()
		.from(auditLog)
		.where(params.action ? eq(auditLog.action, params.action) : undefined)
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(params.limit);
}

export interface AuditFilter {
	/** Exact action, e.g. 'site.mode'. */
	action?: string;
	/** Part of the actor's name, any case. */
	actor?: string;
	/** Entries at or after this instant. */
	from?: Date;
	/** Entries before this instant. */
	to?: Date;
}

/** A literal ILIKE pattern for `text` anywhere in the value. */
function containing(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matching(filter: AuditFilter): SQL | undefined {
	return and(
		filter.action ? eq(auditLog.action, filter.action) : undefined,
		filter.actor ? ilike(auditLog.actor, containing(filter.actor)) : undefined,
		filter.from ? gte(auditLog.at, filter.from) : undefined,
		filter.to ? lt(auditLog.at, filter.to) : undefined
	);
}

/** One page of entries matching the filter, newest first. */
export async function searchAudit(
	db: Db,
	params: { filter: AuditFilter; limit: number; offset: number }
): Promise<AuditEntry[]> {
	return db
		.select()
		.from(auditLog)
		.where(matching(params.filter))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(params.limit)
		.offset(params.offset);
}

export async function countAudit(db: Db, filter: AuditFilter): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)`.mapWith(Number) })
		.from(auditLog)
		.where(matching(filter));
	return row?.n ?? 0;
}

/** Every action recorded so far, for the viewer's filter. */
export async function auditActions(db: Db): Promise<string[]> {
	const rows = await db
		.selectDistinct({ action: auditLog.action })
		.from(auditLog)
		.orderBy(auditLog.action);
	return rows.map((r) => r.action);
}

/** Where the next batch of an export starts: `at` as the database prints it (microseconds kept). */
export interface AuditCursor {
	at: string;
	id: number;
}

/**
 * A batch of matching entries, newest first, strictly older than `after`. Keyset paging,
 * so an export of a long log neither skips nor repeats rows while new ones are written.
 */
export async function auditBatch(
	db: Db,
	params: { filter: AuditFilter; after?: AuditCursor; limit: number }
): Promise<{ entries: AuditEntry[]; next: AuditCursor | null }> {
	const rows = await db
		.select({ entry: auditLog, cursorAt: sql<string>`${auditLog.at}::text` })
		.from(auditLog)
		.where(
			and(
				matching(params.filter),
				params.after
					? sql`(${auditLog.at}, ${auditLog.id}) < (${params.after.at}::timestamptz, ${params.after.id})`
					: undefined
			)
		)
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(params.limit);
	const last = rows.at(-1);
	return {
		entries: rows.map((r) => r.entry),
		next: last && rows.length === params.limit ? { at: last.cursorAt, id: last.entry.id } : null
	};
}
