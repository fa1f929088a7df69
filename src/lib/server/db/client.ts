import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** PGlite and postgres.js databases, typed as the common PgDatabase. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
	kind: 'pglite' | 'postgres';
	db: Db;
	/** Connections this handle may open at once (1 for PGlite). */
	poolMax: number;
	/** Run raw SQL and return its rows, whatever the driver's result shape. */
	rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
	/** Apply the committed migrations in drizzle/. */
	migrate(): Promise<void>;
	/** Resolve when the database answers a trivial query. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

export interface DbOptions {
	/** postgres://… selects PostgreSQL; otherwise PGlite in dataDir. */
	databaseUrl?: string;
	/** PGlite data directory; 'memory://' keeps it in memory (tests). */
	dataDir?: string;
	/** postgres.js pool size. */
	maxConnections?: number;
}

const migrationsFolder = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

/** Result rows from db.execute: postgres.js returns an array, PGlite an object with rows. */
export function resultRows<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function createDb(options: DbOptions): Promise<DbHandle> {
	if (options.databaseUrl) return createPostgres(options.databaseUrl, options.maxConnections ?? 10);
	return createPglite(options.dataDir ?? './data');
}

async function createPglite(dataDir: string): Promise<DbHandle> {
	if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
	const client = await PGlite.create(dataDir);
	const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db;
	return {
		kind: 'pglite',
		db,
		poolMax: 1,
		rows: async (query) => resultRows(await db.execute(query)),
		migrate: () => migratePglite(db as never, { migrationsFolder }),
		ping: async () => {
			await db.execute(sql`select 1`);
		},
		close: () => client.close()
	};
}

async function createPostgres(url: string, max: number): Promise<DbHandle> {
	const client = postgres(url, {
		max,
		onnotice: () => {}, // "relation already exists, skipping" notices from migrations
		connect_timeout: 5,
		// No JIT: the feeds' batch statements are estimated costly enough to be compiled, and
		// compiling took longer (~0.5 s a batch) than running them. Measured in bench/sms.ts.
		connection: { jit: 'off' },
		// Seconds before a failed connection is tried again. postgres.js grows this to 20 s
		// after a few failures, and queries wait for it: after a short database outage,
		// requests would hang and the server would come back late. At most 1 s instead.
		backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1)
	});
	const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
	return {
		kind: 'postgres',
		db,
		poolMax: max,
		rows: async (query) => resultRows(await db.execute(query)),
		migrate: () => migratePostgres(db as never, { migrationsFolder }),
		ping: async () => {
			await db.execute(sql`select 1`);
		},
		close: () => client.end({ timeout: 5 })
	};
}
