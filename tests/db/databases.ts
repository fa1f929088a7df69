/**
 * The databases every database test runs against: PGlite always, and PostgreSQL when
 * DATABASE_URL names a server. Each test database is fresh, migrated, and dropped after.
 *
 *   forEachDatabase('sites', (db) => {
 *     it('…', async () => { await listSites(db().db, …); });
 *   });
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';

export type DatabaseKind = DbHandle['kind'];

export interface TestDatabase {
	kind: DatabaseKind;
	handle: DbHandle;
	/** The PostgreSQL test database's URL (undefined for PGlite). */
	url?: string;
	/** Close the handle and delete the database. */
	drop(): Promise<void>;
}

function isCi(): boolean {
	const ci = process.env.CI?.toLowerCase();
	return !!ci && ci !== 'false' && ci !== '0';
}

function kinds(): DatabaseKind[] {
	if (process.env.DATABASE_URL) return ['pglite', 'postgres'];
	// PostgreSQL is what production runs on: in CI its half of the suite must never vanish quietly.
	if (isCi()) throw new Error('CI is set but DATABASE_URL is not: database tests need PostgreSQL');
	return ['pglite'];
}

export const databaseKinds: readonly DatabaseKind[] = kinds();

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
	if (kind === 'pglite') {
		const handle = await createDb({ dataDir: 'memory://' });
		await handle.migrate();
		return { kind, handle, drop: () => handle.close() };
	}

	const serverUrl = process.env.DATABASE_URL;
	if (!serverUrl) throw new Error('DATABASE_URL is needed for PostgreSQL tests');
	// Random hex only, so the name is safe to splice into DDL.
	const name = `cc_t_${randomBytes(6).toString('hex')}`;
	await onServer(serverUrl, (sql) => sql.unsafe(`create database ${name}`));

	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const dropDatabase = () =>
		onServer(serverUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));

	let handle: DbHandle | undefined;
	try {
		handle = await createDb({ databaseUrl: url.toString(), maxConnections: 4 });
		await handle.migrate();
	} catch (e) {
		await handle?.close();
		await dropDatabase();
		throw e;
	}
	const opened = handle;
	return {
		kind,
		handle: opened,
		url: url.toString(),
		drop: async () => {
			await opened.close();
			await dropDatabase();
		}
	};
}

/** Run statements that cannot run inside the test database itself (create/drop database). */
async function onServer(url: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
	const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		await run(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/**
 * Declare the same tests once per database kind, each group with its own fresh database.
 * `db()` returns the open handle inside tests and hooks.
 */
export function forEachDatabase(
	name: string,
	define: (db: () => DbHandle, kind: DatabaseKind, url: () => string | undefined) => void
): void {
	for (const kind of databaseKinds) {
		describe(`${name} [${kind}]`, () => {
			let opened: TestDatabase | undefined;
			beforeAll(async () => {
				opened = await openTestDatabase(kind);
			});
			afterAll(async () => {
				await opened?.drop();
			});
			define(
				() => {
					if (!opened) throw new Error(`the ${kind} test database is not open`);
					return opened.handle;
				},
				kind,
				() => opened?.url
			);
		});
	}
}
