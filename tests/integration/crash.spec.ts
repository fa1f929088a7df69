/**
 * kill -9 while a client is posting, then a restart: every acknowledged dose is in the
 * database, and the rebuilt live picture equals a count over the raw rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';
import { databaseKinds } from '../db/databases';
import { runAdmin, startServerProcess, type ServerProcess } from '../support/server-process';

interface Target {
	env: Record<string, string>;
	dataDir?: string;
	/** Open the database after the server has stopped (PGlite allows one process). */
	open(): Promise<DbHandle>;
	drop(): Promise<void>;
}

async function target(kind: 'pglite' | 'postgres'): Promise<Target> {
	if (kind === 'pglite') {
		const dataDir = await mkdtemp(join(tmpdir(), 'ldcc-crash-'));
		return {
			// An empty DATABASE_URL selects the embedded database even when the suite has one.
			env: { DATABASE_URL: '' },
			dataDir,
			open: async () => createDb({ dataDir }),
			drop: () => rm(dataDir, { recursive: true, force: true })
		};
	}
	const server = process.env.DATABASE_URL!;
	const name = `cc_crash_${randomBytes(5).toString('hex')}`;
	const admin = postgres(server, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(server);
	url.pathname = `/${name}`;
	return {
		env: { DATABASE_URL: url.toString() },
		open: async () => createDb({ databaseUrl: url.toString(), maxConnections: 2 }),
		drop: async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const kind of databaseKinds) {
	describe(`kill -9 during ingestion [${kind}]`, () => {
		let t: Target;
		let node: ServerProcess | undefined;
		afterAll(async () => {
			await node?.stop();
			await t?.drop();
		});

		it('keeps every acknowledged dose, and the rebuilt totals equal count(*)', async () => {
			t = await target(kind);
			// Admin commands work with no server running, on either database.
			const env = {
				...(process.env as Record<string, string>),
				DEMO: '0',
				...t.env,
				DATA_DIR: t.dataDir ?? ''
			};
			expect(await runAdmin(env, ['load-demo'])).toMatch(/loaded the demo state/);
			const created = await runAdmin(env, [
				'create-token',
				'--name',
				'crash',
				'--scope',
				'ingest,read'
			]);
			const token = created.trim().split('\n').at(-1)!;
			node = await startServerProcess({ env: t.env, dataDir: t.dataDir });
			const snapshot = await (
				await fetch(`${node.url}/api/v1/snapshot`, { headers: bearer(token) })
			).json();
			const sites: string[] = snapshot.sites.slice(0, 20).map((s: { code: string }) => s.code);
			expect(sites, JSON.stringify(snapshot).slice(0, 500)).toHaveLength(20);

			const acknowledged: string[] = [];
			const refused: string[] = [];
			let batch = 0;
			let stop = false;
			const post = async () => {
				while (!stop) {
					const n = batch++;
					const doses = Array.from({ length: 100 }, (_, i) => ({
						id: `crash-${n}-${i}`,
						siteCode: sites[(n + i) % sites.length],
						occurredAt: new Date().toISOString(),
						vaccine: 'COVISHIELD',
						dose: 1,
						beneficiaryRef: `B-crash-${n}-${i}`
					}));
					try {
						const res = await fetch(`${node!.url}/api/v1/doses`, {
							method: 'POST',
							headers: { ...bearer(token), 'content-type': 'application/json' },
							body: JSON.stringify(doses)
						});
						const answer = await res.text();
						if (res.status === 200 && JSON.parse(answer).accepted === doses.length) {
							acknowledged.push(...doses.map((d) => d.id));
						} else refused.push(`${res.status} ${answer.slice(0, 200)}`);
					} catch {
						// The server died mid-request: this batch was never acknowledged.
					}
				}
			};
			const clients = [post(), post(), post()];
			// Kill once a good number of batches have been acknowledged.
			while (acknowledged.length < 3000) {
				if (refused.length > 5)
					throw new Error(`posts refused:\n${refused.slice(0, 5).join('\n')}`);
				await new Promise((r) => setTimeout(r, 20));
			}
			await node.kill();
			stop = true;
			await Promise.all(clients);
			expect(acknowledged.length).toBeGreaterThanOrEqual(3000);

			node = await startServerProcess({ env: t.env, dataDir: t.dataDir });
			const after = await (
				await fetch(`${node.url}/api/v1/snapshot`, { headers: bearer(token) })
			).json();
			await node.stop();
			node = undefined;

			const handle = await t.open();
			try {
				const held = await handle.rows<{ id: string }>(
					sql`select id from dose_events where id like 'crash-%'`
				);
				const heldIds = new Set(held.map((r) => r.id));
				const lost = acknowledged.filter((id) => !heldIds.has(id));
				expect(lost).toEqual([]);
				const [total] = await handle.rows<{ n: number }>(
					sql`select count(*)::int as n from dose_events where status = 'completed'`
				);
				expect(after.totals.dosesToday).toBe(total.n);
			} finally {
				await handle.close();
			}
		}, 300_000);
	});
}
