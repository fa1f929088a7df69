/**
 * Two identical server processes on one PostgreSQL database: a dose posted to one node
 * reaches the socket clients of the other, and when the node holding the leader lock
 * dies, the other takes the lock over. Needs PostgreSQL (DATABASE_URL), as in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../db/databases';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { seedState, siteCode } from '../support/state';
import { eventually } from '../support/wait';
import { connectClient, until } from './server';

interface Ready {
	ok: boolean;
	leader: boolean;
	node: string;
}

const ready = async (node: ServerProcess): Promise<Ready> =>
	(await (await fetch(`${node.url}/readyz`)).json()) as Ready;

/**
 * Two server processes on a fresh PostgreSQL database (prepared by `seed` before they
 * start), for the tests of one describe block.
 */
function twoNodes(seed: (db: TestDatabase) => Promise<void> = async () => {}) {
	const nodes = {} as { db: TestDatabase; a: ServerProcess; b: ServerProcess };
	beforeAll(async () => {
		nodes.db = await openTestDatabase('postgres');
		await seed(nodes.db);
		const env = { DATABASE_URL: nodes.db.url!, LOG_LEVEL: 'silent', CLUSTER_CHECK_MS: '300' };
		[nodes.a, nodes.b] = await Promise.all([
			startServerProcess({ env }),
			startServerProcess({ env })
		]);
	}, 180_000);
	afterAll(async () => {
		await Promise.all([nodes.a?.stop(), nodes.b?.stop()]);
		await nodes.db?.drop();
	}, 60_000);
	return nodes;
}

if (databaseKinds.includes('postgres')) {
	describe('two nodes on one PostgreSQL', () => {
		let tokens: { ingest: string; read: string };
		const nodes = twoNodes(async (db) => {
			tokens = await seedState(db.handle, 4);
		});

		it("shows a dose posted to one node to the other node's screens", async () => {
			const { a, b } = nodes;
			const onB = connectClient(b.url, { token: tokens.read });
			const onA = connectClient(a.url, { token: tokens.read });
			const [snapB, snapA] = await Promise.all([
				until(() => onB.snapshots[0], 20_000),
				until(() => onA.snapshots[0], 20_000)
			]);
			const site = siteCode(2);
			const before = snapB.sites.find((s) => s.code === site)!.dosesToday;
			expect(snapA.sites.find((s) => s.code === site)!.dosesToday).toBe(before);

			const res = await fetch(`${a.url}/api/v1/doses`, {
				method: 'POST',
				headers: { authorization: `Bearer ${tokens.ingest}`, 'content-type': 'application/json' },
				body: JSON.stringify(
					[1, 2, 3].map((i) => ({
						id: `cluster-${i}`,
						siteCode: site,
						occurredAt: new Date().toISOString(),
						vaccine: 'COVAXIN',
						dose: 1,
						beneficiaryRef: `B-cluster-${i}`
					}))
				)
			});
			expect(await res.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });

			const seen = (deltas: typeof onB.deltas) =>
				deltas.find((d) => d.sites?.some((s) => s.code === site && s.dosesToday === before + 3));
			const onBDelta = await until(() => seen(onB.deltas), 10_000);
			expect(onBDelta.totals.dosesToday).toBe(snapB.totals.dosesToday + 3);
			await until(() => seen(onA.deltas), 10_000);
			onA.socket.close();
			onB.socket.close();
		}, 60_000);

		it('hands the leader lock to the other node when the leader dies', async () => {
			const { a, b } = nodes;
			const [ra, rb] = await Promise.all([ready(a), ready(b)]);
			expect(ra.node).not.toBe(rb.node);
			expect([ra.leader, rb.leader].filter(Boolean)).toHaveLength(1);
			const [leader, follower] = ra.leader ? [a, b] : [b, a];
			// Killed, not stopped: nothing is released politely; PostgreSQL drops the lock
			// with the dead connection.
			await leader.kill();
			const taken = await eventually(async () => (await ready(follower)).leader, 20_000);
			expect(taken).toBe(true);
		}, 60_000);
	});
}

if (databaseKinds.includes('postgres')) {
	describe('an admin command run beside the nodes', () => {
		const nodes = twoNodes();

		it('makes every node read the data it changed', async () => {
			const { a, b } = nodes;
			const token = (await a.admin(['create-token', '--name', 'screens', '--scope', 'read']))
				.trim()
				.split('\n')
				.at(-1)!;
			const sitesOn = async (node: ServerProcess) => {
				const client = connectClient(node.url, { token });
				const snapshot = await until(() => client.snapshots[0], 20_000);
				client.socket.close();
				return snapshot.sites.length;
			};
			expect(await sitesOn(a)).toBe(0);
			expect(await sitesOn(b)).toBe(0);
			// The command opens PostgreSQL itself: neither node runs it.
			expect(await a.admin(['load-demo'])).toMatch(/^loaded the demo state/);
			const loaded = await eventually(async () => {
				const [onA, onB] = await Promise.all([sitesOn(a), sitesOn(b)]);
				return onA > 100 && onA === onB && onA;
			}, 20_000);
			expect(loaded).toBeGreaterThan(100);
		}, 90_000);
	});
}
