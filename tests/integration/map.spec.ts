/**
 * The map's API against a real server: district shapes scoped by policy and cached by
 * ETag, the district's hourly throughput with its decision timeline, and a site's day.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importBoundaries } from '../../server/admin/commands/import-boundaries';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import { appendAudit } from '../../src/lib/server/db/queries/audit';
import { alerts } from '../../src/lib/server/db/schema';
import type { DistrictThroughput, SiteActivity } from '../../src/lib/shared/map';
import { addDays, localDate, zonedTime } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { seedSmallState, startTestServer, until, type TestServer } from './server';

const TZ = 'Asia/Kolkata';
const PUNE = '521';
const NAGPUR = '505';
const PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;

type Collection = {
	type: string;
	features: { properties: { code: string; approximate: boolean } }[];
};

forEachDatabase('map API', (db) => {
	let server: TestServer;
	let puneOfficer: string;
	let today: string;
	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(server.url + path, {
			headers: { authorization: `Bearer ${server.readToken}`, ...headers }
		});

	beforeAll(async () => {
		server = await startTestServer(db());
		today = localDate(new Date(), TZ);
		await seedSmallState(server, today);
		// Official shapes for the two districts (the fixture spells Pune in capitals).
		await importBoundaries(db(), {
			file: fileURLToPath(new URL('../fixtures/geo/maharashtra-renamed.geojson', import.meta.url))
		});
		await createUserCommand(db().db, {
			username: 'pune-officer',
			role: 'district_officer',
			districts: [PUNE],
			password: PASSWORD
		});
		const signedIn = await signIn(
			db().db,
			{ username: 'pune-officer', password: PASSWORD, ip: '127.0.0.1', userAgent: 'vitest' },
			new FailureLimiter()
		);
		if (!signedIn.ok) throw new Error('sign-in failed');
		puneOfficer = `cc_session=${signedIn.session.cookieValue}`;
	});
	afterAll(async () => server?.close());

	it('serves every district shape to the state, with an ETag that saves the transfer', async () => {
		const res = await get('/api/v1/districts/geometry');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
		const etag = res.headers.get('etag');
		expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
		const body = (await res.json()) as Collection;
		expect(body.type).toBe('FeatureCollection');
		expect(body.features.map((f) => f.properties.code).sort()).toEqual([NAGPUR, PUNE]);
		expect(body.features.every((f) => f.properties.approximate === false)).toBe(true);

		const again = await get('/api/v1/districts/geometry', { 'if-none-match': etag! });
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');
		const stale = await get('/api/v1/districts/geometry', { 'if-none-match': '"other"' });
		expect(stale.status).toBe(200);
	});

	it('gives a district officer only its own districts, under its own ETag', async () => {
		const state = await get('/api/v1/districts/geometry');
		const res = await fetch(`${server.url}/api/v1/districts/geometry`, {
			headers: { cookie: puneOfficer }
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as Collection;
		expect(body.features.map((f) => f.properties.code)).toEqual([PUNE]);
		expect(res.headers.get('etag')).not.toBe(state.headers.get('etag'));
		const anonymous = await fetch(`${server.url}/api/v1/districts/geometry`);
		expect(anonymous.status).toBe(401);
	});

	it('counts doses per local hour today against plan and yesterday, with the decisions taken', async () => {
		const now = new Date();
		const hourNow = Math.floor((now.getTime() - zonedTime(today, '00:00', TZ).getTime()) / HOUR);
		const yesterdaySameHour = new Date(
			zonedTime(addDays(today, -1), '00:00', TZ).getTime() + hourNow * HOUR + 60_000
		);
		const dose = (id: string, at: Date) => ({
			id,
			siteCode: 'P1',
			occurredAt: at.toISOString(),
			vaccine: 'COVISHIELD',
			dose: 1,
			beneficiaryRef: `B-${id}`
		});
		const posted = await server.post('/api/v1/doses', [
			dose('map-1', now),
			dose('map-2', now),
			dose('map-3', now),
			dose('map-y', yesterdaySameHour)
		]);
		expect(await posted.json()).toMatchObject({ accepted: 4 });

		await appendAudit(db().db, {
			actor: 'state.officer',
			action: 'site.mode',
			target: 'P2',
			detail: { from: 'online', to: 'manual', reason: 'national server down', districtCode: PUNE }
		});
		await db()
			.db.insert(alerts)
			.values([
				{
					kind: 'health_incident',
					openedAt: new Date(now.getTime() - 60_000),
					summary: 'National server slow',
					detail: { target: 'national-server' }
				},
				{
					kind: 'site_stalled',
					openedAt: now,
					districtCode: NAGPUR,
					siteCode: 'N1',
					summary: 'No dose for 20 min'
				}
			]);

		const res = await get(`/api/v1/districts/${PUNE}/throughput`);
		expect(res.status).toBe(200);
		const body = (await res.json()) as DistrictThroughput;
		expect(body).toMatchObject({ code: PUNE, name: 'Pune', day: today, approximate: false });
		expect(body.hours).toHaveLength(24);
		expect(body.hours[hourNow]).toMatchObject({ doses: 3, yesterday: 1 });
		// Three sites open all day at 240 each: 30 an hour between them.
		expect(body.hours[hourNow].plan).toBeCloseTo(30, 0);
		expect(body.hours.reduce((n, h) => n + h.doses, 0)).toBe(3);
		expect(body.timeline.map((e) => [e.kind, e.by])).toEqual([
			['health', 'national-server (health monitor)'],
			['manual', 'state.officer']
		]);
		expect(body.timeline[1]).toMatchObject({ siteCode: 'P2', detail: 'national server down' });
	});

	it("shows a site's day: doses per 15 minutes, status through the day, SMS and heartbeats", async () => {
		const now = new Date();
		await server.post('/api/v1/heartbeats', [{ siteCode: 'P1', at: now.toISOString() }]);
		await server.post('/api/v1/sms/messages', [
			{
				messageId: 'm1',
				beneficiaryRef: 'B1',
				siteCode: 'P1',
				kind: 'appointment',
				sentAt: now.toISOString()
			},
			{
				messageId: 'm2',
				beneficiaryRef: 'B2',
				siteCode: 'P1',
				kind: 'appointment',
				sentAt: now.toISOString()
			},
			{
				messageId: 'm3',
				beneficiaryRef: 'B3',
				siteCode: 'P1',
				kind: 'otp',
				sentAt: now.toISOString()
			}
		]);
		await server.post('/api/v1/sms/reports', [
			{ messageId: 'm1', status: 'delivered', at: now.toISOString() },
			{ messageId: 'm2', status: 'failed', at: now.toISOString(), errorCode: '30007' }
		]);
		await until(() => server.services.live.siteView('P1')?.status === 'active');

		const res = await get('/api/v1/sites/P1/activity');
		expect(res.status).toBe(200);
		const body = (await res.json()) as SiteActivity;
		expect(body).toMatchObject({
			code: 'P1',
			districtCode: PUNE,
			districtName: 'Pune',
			mode: 'online'
		});
		expect(body.quarterHours).toHaveLength(96);
		expect(body.quarterHours.reduce((n, q) => n + q.doses, 0)).toBe(3);
		expect(body.heartbeatsToday).toBe(1);
		expect(body.lastHeartbeatAt).not.toBeNull();
		expect(body.sms).toMatchObject({ sent: 3, delivered: 1, failed: 1, pending: 1 });
		// The history ends where the live state is now.
		expect(body.statusHistory.at(-1)!.status).toBe(server.services.live.siteView('P1')!.status);
		expect(body.timeline).toEqual([expect.objectContaining({ kind: 'health' })]);

		const missing = await get('/api/v1/sites/NOPE/activity');
		expect(missing.status).toBe(404);
	});

	it("refuses a district officer another district's figures and sites", async () => {
		const asOfficer = (path: string) =>
			fetch(server.url + path, { headers: { cookie: puneOfficer } });
		expect((await asOfficer(`/api/v1/districts/${PUNE}/throughput`)).status).toBe(200);
		expect((await asOfficer(`/api/v1/districts/${NAGPUR}/throughput`)).status).toBe(403);
		expect((await asOfficer('/api/v1/sites/P1/activity')).status).toBe(200);
		expect((await asOfficer('/api/v1/sites/N1/activity')).status).toBe(403);
		expect((await get('/api/v1/districts/999/throughput')).status).toBe(404);
	});

	it('names no online base style unless MAP_STYLE_URL is set', async () => {
		const res = await get('/api/v1/map/config');
		expect(await res.json()).toEqual({ styleUrl: null });
	});
});
