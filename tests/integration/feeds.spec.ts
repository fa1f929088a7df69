import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countDoses } from '../../src/lib/server/db/queries/dose';
import { countPendingQuarantine } from '../../src/lib/server/db/queries/quarantine';
import { localDate } from '../../src/lib/shared/time';
import { replayQuarantine } from '../../server/admin/commands/quarantine';
import { forEachDatabase } from '../db/databases';
import { seedSmallState, startTestServer, type TestServer } from './server';

const TZ = 'Asia/Kolkata';

function dose(id: string, siteCode: string, extra: Record<string, unknown> = {}) {
	return {
		id,
		siteCode,
		occurredAt: new Date().toISOString(),
		vaccine: 'COVISHIELD',
		dose: 1,
		beneficiaryRef: `B-${id}`,
		...extra
	};
}

forEachDatabase('dose feed', (db) => {
	let server: TestServer;
	const today = localDate(new Date(), TZ);

	beforeAll(async () => {
		server = await startTestServer(db());
		await seedSmallState(server, today);
	});
	afterAll(async () => server?.close());

	it('refuses a feed without an ingest token', async () => {
		const none = await fetch(`${server.url}/api/v1/doses`, { method: 'POST', body: '[]' });
		expect(none.status).toBe(401);
		const readOnly = await server.post('/api/v1/doses', [], { token: server.readToken });
		expect(readOnly.status).toBe(403);
	});

	it('counts the same batch once when it is posted twice', async () => {
		const batch = [dose('twice-1', 'P1'), dose('twice-2', 'P1'), dose('twice-3', 'P2')];
		const first = await (await server.post('/api/v1/doses', batch)).json();
		expect(first).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
		const second = await (await server.post('/api/v1/doses', batch)).json();
		expect(second).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
		const rows = await db().rows<{ n: number }>(
			sql`select count(*)::int as n from dose_events where id like 'twice-%'`
		);
		expect(rows[0].n).toBe(3);
	});

	it('keeps 99 of a 100-item batch with one bad item and quarantines it with its reason', async () => {
		const before = await countPendingQuarantine(db().db);
		const batch = Array.from({ length: 100 }, (_, i) => dose(`hundred-${i}`, 'P3'));
		batch[42] = { ...batch[42], occurredAt: 'yesterday-ish' };
		const res = await server.post('/api/v1/doses', batch);
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.accepted).toBe(99);
		expect(body.rejected).toHaveLength(1);
		expect(body.rejected[0].index).toBe(42);
		expect(body.rejected[0].error).toMatch(/occurredAt/);
		expect(await countPendingQuarantine(db().db)).toBe(before + 1);
		const [kept] = await db().rows<{ error: string; item: { id: string } }>(
			sql`select error, item from quarantine where item->>'id' = 'hundred-42'`
		);
		expect(kept.error).toMatch(/occurredAt/);
		expect(kept.item.id).toBe('hundred-42');
	});

	it('quarantines an unknown site and accepts it on replay once the site exists', async () => {
		const res = await server.post('/api/v1/doses', [dose('new-site-1', 'X9')]);
		const body = await res.json();
		expect(body.rejected).toEqual([{ index: 0, error: 'unknown site' }]);
		expect(await countDoses(db().db)).toBeGreaterThan(0);

		const stillMissing = await replayQuarantine(db(), server.services.ingest, {
			feed: 'doses',
			timeZone: TZ
		});
		expect(stillMissing.replayed).toBe(0);

		await server.post('/api/v1/sessions', [
			{
				sessionId: `S-X9-${today}`,
				siteCode: 'X9',
				date: today,
				capacity: 100,
				site: { name: 'New site', districtName: 'PUNE' }
			}
		]);
		const replay = await replayQuarantine(db(), server.services.ingest, {
			feed: 'doses',
			timeZone: TZ
		});
		expect(replay.replayed).toBeGreaterThanOrEqual(1);
		const [row] = await db().rows<{ n: number }>(
			sql`select count(*)::int as n from dose_events where id = 'new-site-1'`
		);
		expect(row.n).toBe(1);
	});

	it('takes NDJSON with one broken line and keeps the others', async () => {
		const lines = [
			JSON.stringify(dose('nd-1', 'P1')),
			'{not json',
			JSON.stringify(dose('nd-2', 'P1'))
		];
		const res = await server.post('/api/v1/doses', lines.join('\n'), {
			contentType: 'application/x-ndjson'
		});
		const body = await res.json();
		expect(body.accepted).toBe(2);
		expect(body.rejected).toHaveLength(1);
	});

	it('withdraws a dose on a FHIR entered-in-error for a key already held', async () => {
		const immunization = (status: string) => ({
			resourceType: 'Immunization',
			id: 'fhir-1',
			identifier: [{ system: 'urn:test', value: 'fhir-dose-1' }],
			status,
			vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '207' }] },
			patient: { reference: 'Patient/pat-1' },
			occurrenceDateTime: new Date().toISOString(),
			location: { reference: 'Location/N1' },
			protocolApplied: [{ doseNumberPositiveInt: 1 }]
		});
		const fhir = { contentType: 'application/fhir+json' };
		const before = server.services.live.districtView('505')!.dosesToday;
		expect(
			(await (await server.post('/api/v1/doses', immunization('completed'), fhir)).json()).accepted
		).toBe(1);
		expect(server.services.live.districtView('505')!.dosesToday).toBe(before + 1);
		expect(
			(await (await server.post('/api/v1/doses', immunization('entered-in-error'), fhir)).json())
				.accepted
		).toBe(1);
		expect(server.services.live.districtView('505')!.dosesToday).toBe(before);
		const [row] = await db().rows<{ status: string }>(
			sql`select status from dose_events where id = 'fhir-dose-1'`
		);
		expect(row.status).toBe('entered_in_error');
	});

	it('answers 400 with a reason for a body that is not JSON at all', async () => {
		const res = await server.post('/api/v1/doses', '[{"id": ');
		expect(res.status).toBe(400);
		expect((await res.json()).error).toBeTruthy();
	});

	it('has snapshot totals equal to a count over the raw dose rows', async () => {
		const res = await fetch(`${server.url}/api/v1/snapshot`, {
			headers: { authorization: `Bearer ${server.readToken}` }
		});
		const snapshot = await res.json();
		const [row] = await db().rows<{ n: number }>(
			sql`select count(*)::int as n from dose_events where status = 'completed'`
		);
		expect(snapshot.totals.dosesToday).toBe(row.n);
		expect(snapshot.districts.map((d: { code: string }) => d.code).sort()).toEqual(['505', '521']);
		// A rebuild from the database gives the same picture.
		await server.services.reload();
		expect(server.services.live.totals(null).dosesToday).toBe(row.n);
	});
});

forEachDatabase('sms feeds', (db) => {
	let server: TestServer;
	const today = localDate(new Date(), TZ);
	beforeAll(async () => {
		server = await startTestServer(db());
		await seedSmallState(server, today);
	});
	afterAll(async () => server?.close());

	const message = (id: string) => ({
		messageId: id,
		beneficiaryRef: `B-${id}`,
		siteCode: 'P1',
		kind: 'appointment',
		sentAt: new Date().toISOString(),
		phone: '+919800000000'
	});
	const report = (id: string, status: string, secondsLater: number) => ({
		messageId: id,
		status,
		at: new Date(Date.now() + secondsLater * 1000).toISOString()
	});

	it('applies a report that came before its message when the message arrives', async () => {
		const r = await (
			await server.post('/api/v1/sms/reports', [report('m-early', 'failed', 5)])
		).json();
		expect(r.accepted).toBe(1);
		await server.post('/api/v1/sms/messages', [message('m-early')]);
		const [row] = await db().rows<{ status: string }>(
			sql`select status from sms_messages where message_id = 'm-early'`
		);
		expect(row.status).toBe('failed');
		expect(server.services.live.districtView('521')!.smsFailed).toBe(1);
	});

	it('never moves a message back: delivered stays delivered when a late sent arrives', async () => {
		await server.post('/api/v1/sms/messages', [message('m-order')]);
		const delivered = report('m-order', 'delivered', 10);
		await server.post('/api/v1/sms/reports', [delivered]);
		const lateSent = report('m-order', 'sent', 2);
		const again = await (await server.post('/api/v1/sms/reports', [delivered, lateSent])).json();
		expect(again).toMatchObject({ accepted: 1, duplicates: 1 });
		const [row] = await db().rows<{ status: string }>(
			sql`select status from sms_messages where message_id = 'm-order'`
		);
		expect(row.status).toBe('delivered');
	});
});
