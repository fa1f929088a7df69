import { afterAll, beforeAll, expect, it } from 'vitest';
import { localDate } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { connectClient, seedSmallState, startTestServer, until, type TestServer } from './server';

const TZ = 'Asia/Kolkata';

const doses = (prefix: string, n: number, siteCode: string) =>
	Array.from({ length: n }, (_, i) => ({
		id: `${prefix}-${i}`,
		siteCode,
		occurredAt: new Date().toISOString(),
		vaccine: 'COVAXIN',
		dose: 1,
		beneficiaryRef: `B-${prefix}-${i}`
	}));

forEachDatabase('live feed over Socket.IO', (db) => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer(db());
		await seedSmallState(server, localDate(new Date(), TZ));
	});
	afterAll(async () => server?.close());

	it('refuses a socket without a read token', async () => {
		const { socket } = connectClient(server.url, { token: 'cc_not-a-token' });
		const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
		expect(error.message).toMatch(/unauthorized/);
		socket.close();
	});

	it('sends a snapshot, then deltas in which the district count rises within 2 s of a POST', async () => {
		const client = connectClient(server.url, { token: server.readToken });
		const snapshot = await until(() => client.snapshots[0]);
		const pune = snapshot.districts.find((d) => d.code === '521')!;
		const posted = Date.now();
		await server.post('/api/v1/doses', doses('live', 4, 'P2'));
		const delta = await until(
			() =>
				client.deltas.find((d) =>
					d.districts?.find((x) => x.code === '521' && x.dosesToday === pune.dosesToday + 4)
				),
			2000
		);
		expect(Date.now() - posted).toBeLessThan(2000);
		expect(delta.seq).toBe(snapshot.seq + client.deltas.indexOf(delta) + 1);
		expect(delta.totals.dosesToday).toBe(snapshot.totals.dosesToday + 4);
		client.socket.close();
	});

	it('resumes after a forced disconnect without a gap in seq', async () => {
		const first = connectClient(server.url, { token: server.readToken });
		const snapshot = await until(() => first.snapshots[0]);
		await server.post('/api/v1/doses', doses('before-drop', 2, 'P1'));
		await until(() => first.deltas.length > 0 && first.deltas);
		const lastSeen = first.deltas.at(-1)!.seq;
		first.socket.disconnect();

		// Changes while the client is away.
		await server.post('/api/v1/doses', doses('while-away', 3, 'P1'));
		await new Promise((r) => setTimeout(r, 500));
		await server.post('/api/v1/doses', doses('while-away-2', 1, 'N1'));
		await new Promise((r) => setTimeout(r, 500));

		const second = connectClient(server.url, {
			token: server.readToken,
			sinceSeq: lastSeen,
			epoch: snapshot.epoch
		});
		await until(() => second.deltas.length >= 2 && second.deltas);
		expect(second.snapshots).toHaveLength(0);
		const seqs = [...first.deltas, ...second.deltas].map((d) => d.seq);
		for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
		const total = second.deltas.at(-1)!.totals.dosesToday;
		expect(total).toBe(server.services.live.totals(null).dosesToday);
		second.socket.close();
		first.socket.close();
	});

	it('sends a fresh snapshot when the missed deltas belong to another epoch', async () => {
		const client = connectClient(server.url, {
			token: server.readToken,
			sinceSeq: 3,
			epoch: 'an-old-server'
		});
		const snapshot = await until(() => client.snapshots[0]);
		expect(snapshot.epoch).not.toBe('an-old-server');
		client.socket.close();
	});
});
