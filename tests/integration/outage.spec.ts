/**
 * PostgreSQL stops (a crash: connections cut) and comes back while doses are being sent.
 * Feeds must answer 503 with Retry-After (never a 200 for what was not committed), no
 * acknowledged dose may be missing afterwards, screens must be told, and the same server
 * process must recover by itself. Runs its own PostgreSQL, so the shared one is untouched.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/client';
import { localDate } from '../../src/lib/shared/time';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { seedState, siteCode } from '../support/state';
import { eventually } from '../support/wait';
import { connectClient, until } from './server';

const SITES = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
	ids: string[];
	status: number | 'no answer';
	retryAfter: string | null;
}

describe('a database outage during ingestion', () => {
	let pg: PrivatePostgres;
	let server: ServerProcess;
	let tokens: { ingest: string; read: string };

	beforeAll(async () => {
		pg = await startPrivatePostgres();
		const handle = await createDb({ databaseUrl: pg.url, maxConnections: 2 });
		await handle.migrate();
		tokens = await seedState(handle, SITES);
		await handle.close();
		server = await startServerProcess({
			env: { DATABASE_URL: pg.url, LOG_LEVEL: 'silent', DELTA_INTERVAL_MS: '200' }
		});
	}, 180_000);

	afterAll(async () => {
		await server?.stop();
		await pg?.destroy();
	}, 60_000);

	it('answers 503 while it is away, loses nothing acknowledged, and recovers by itself', async () => {
		const client = connectClient(server.url, { token: tokens.read });
		await until(() => client.snapshots[0], 10_000);

		const sent: Sent[] = [];
		let stop = false;
		let n = 0;
		const sender = async (s: number) => {
			while (!stop) {
				const ids = Array.from({ length: 10 }, () => `outage-${s}-${n++}`);
				const body = ids.map((id, i) => ({
					id,
					siteCode: siteCode(i % SITES),
					occurredAt: new Date().toISOString(),
					vaccine: 'COVISHIELD',
					dose: 1,
					beneficiaryRef: `B-${id}`
				}));
				try {
					const res = await fetch(`${server.url}/api/v1/doses`, {
						method: 'POST',
						headers: {
							authorization: `Bearer ${tokens.ingest}`,
							'content-type': 'application/json'
						},
						body: JSON.stringify(body),
						// A sender that waits this long has been left hanging.
						signal: AbortSignal.timeout(10_000)
					});
					await res.text();
					sent.push({ ids, status: res.status, retryAfter: res.headers.get('retry-after') });
				} catch {
					sent.push({ ids, status: 'no answer', retryAfter: null });
				}
				await sleep(20);
			}
		};
		const senders = [0, 1, 2, 3].map(sender);

		await sleep(1500);
		await pg.stop('immediate');
		const downAt = sent.length;
		await sleep(1500);
		const ready = await fetch(`${server.url}/readyz`);
		expect(ready.status).toBe(503);
		// Screens are told: the product's own database shows as down in the live picture.
		await until(
			() =>
				client.deltas.some((d) =>
					d.health?.some((h) => h.target === 'command-centre-database' && h.status === 'down')
				),
			10_000
		);
		await sleep(1000);
		await pg.start();
		const upAt = sent.length;
		await until(() => sent.slice(upAt).some((s) => s.status === 200), 30_000);
		await sleep(1500);
		stop = true;
		await Promise.all(senders);

		// Never a hang, never anything but 200 or 503 + Retry-After.
		expect(sent.filter((s) => s.status === 'no answer')).toEqual([]);
		for (const s of sent.filter((s) => s.status !== 200)) {
			expect(s.status).toBe(503);
			expect(s.retryAfter).toBe('5');
		}
		expect(sent.slice(downAt, upAt).some((s) => s.status === 503)).toBe(true);

		// Every acknowledged dose is in the database.
		const handle = await createDb({ databaseUrl: pg.url, maxConnections: 1 });
		try {
			const acknowledged = sent.filter((s) => s.status === 200).flatMap((s) => s.ids);
			expect(acknowledged.length).toBeGreaterThan(0);
			const rows = await handle.rows<{ id: string }>(
				sql`select id from dose_events where id = any(${sql.param(acknowledged)}::text[])`
			);
			const stored = new Set(rows.map((r) => r.id));
			expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

			// The same process recovered: ready again, and its live picture equals the rows
			// (batches cut off mid-commit are counted once, after the rebuild).
			expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
			const [{ n: inDb }] = await handle.rows<{ n: number }>(
				sql`select count(*)::int as n from dose_events where status = 'completed'`
			);
			const snapshot = async () =>
				(await (
					await fetch(`${server.url}/api/v1/snapshot`, {
						headers: { authorization: `Bearer ${tokens.read}` }
					})
				).json()) as {
					totals: { dosesToday: number };
					day: string;
					health: { target: string; status: string }[];
				};
			const live = await eventually(async () => {
				const s = await snapshot();
				return s.totals.dosesToday === inDb ? s : undefined;
			}, 15_000);
			expect(live.day).toBe(localDate(new Date(), 'Asia/Kolkata'));
			expect(live.health.find((h) => h.target === 'command-centre-database')?.status).toBe('up');
		} finally {
			await handle.close();
			client.socket.close();
		}
	}, 120_000);
});
