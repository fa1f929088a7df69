import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { apiTokens, type TokenScope } from '../schema';

export interface TokenRow {
	id: string;
	name: string;
	scopes: TokenScope[];
	revokedAt: Date | null;
}

export async function insertToken(
	db: Db,
	row: { name: string; tokenHash: string; scopes: TokenScope[] }
): Promise<string> {
	const [created] = await db.insert(apiTokens).values(row).returning({ id: apiTokens.id });
	return created.id;
}

export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenRow | null> {
	const [row] = await db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			scopes: apiTokens.scopes,
			revokedAt: apiTokens.revokedAt
		})
		.from(apiTokens)
		.where(eq(apiTokens.tokenHash, tokenHash));
	return row ? { ...row, scopes: row.scopes as TokenScope[] } : null;
}

export async function touchToken(db: Db, id: string, at: Date): Promise<void> {
	await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

export async function revokeToken(db: Db, id: string, at: Date): Promise<boolean> {
	const rows = await db
		.update(apiTokens)
		.set({ revokedAt: at })
		.where(eq(apiTokens.id, id))
		.returning({ id: apiTokens.id });
	return rows.length > 0;
}

export async function listTokens(db: Db) {
	return db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			scopes: apiTokens.scopes,
			createdAt: apiTokens.createdAt,
			lastUsedAt: apiTokens.lastUsedAt,
			revokedAt: apiTokens.revokedAt
		})
		.from(apiTokens)
		.orderBy(desc(apiTokens.createdAt));
}

export async function findTokenById(
	db: Db,
	id: string
): Promise<(TokenRow & { lastUsedAt: Date | null }) | null> {
	const [row] = await db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			scopes: apiTokens.scopes,
			revokedAt: apiTokens.revokedAt,
			lastUsedAt: apiTokens.lastUsedAt
		})
		.from(apiTokens)
		.where(eq(apiTokens.id, id));
	return row ? { ...row, scopes: row.scopes as TokenScope[] } : null;
}

/** Of these token ids, the ones not revoked (for re-checking live sockets). */
export async function activeTokenIds(db: Db, ids: string[]): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.select({ id: apiTokens.id })
		.from(apiTokens)
		.where(and(inArray(apiTokens.id, ids), isNull(apiTokens.revokedAt)));
	return rows.map((r) => r.id);
}
