/**
 * The help desk against the real HTTP API and Socket.IO, on both databases: complaint
 * intake (shapes, per-item rejections and quarantine, idempotency by id, adverse events
 * urgent), the queue with SLA due times, district scoping, the workflow, bulk incident
 * links, hand-offs to officers and their outcomes, the live complaint feed, and complaint
 * spikes raised once per burst.
 */
import { sql } from 'drizzle-orm';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { replayQuarantine } from '../../server/admin/commands/quarantine';
import { ComplaintService } from '../../server/complaints/service';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import { pendingQuarantine } from '../../src/lib/server/db/queries/quarantine';
import { setSiteMode } from '../../src/lib/server/db/queries/site';
import { alertEvents, alerts } from '../../src/lib/server/db/schema';
import type {
	ComplaintEventView,
	ComplaintView,
	IncidentView,
	SiteContextView
} from '../../src/lib/shared/complaint';
import type { Snapshot } from '../../src/lib/shared/live';
import { localDate } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { seedSmallState, startTestServer, until, type TestServer, type TestSocket } from './server';

const TZ = 'Asia/Kolkata';
const PASSWORD = 'correct horse battery';
const PUNE = '521';
const NAGPUR = '505';
const MIN = 60_000;

type Caller = { cookie: string } | { token: string };

let serial = 0;

async function person(
	server: TestServer,
	role: 'helpdesk' | 'district_officer' | 'state_officer' | 'secretary',
	districts: string[] = []
): Promise<{ username: string; caller: Caller }> {
	const username = `${role.replace('_', '-')}-${++serial}`;
	await createUserCommand(server.services.handle.db, {
		username,
		role,
		districts,
		password: PASSWORD
	});
	const result = await signIn(
		server.services.handle.db,
		{ username, password: PASSWORD, ip: '127.0.0.1', userAgent: 'vitest' },
		new FailureLimiter()
	);
	if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
	return { username, caller: { cookie: `cc_session=${result.session.cookieValue}` } };
}

function api(
	server: TestServer,
	caller: Caller,
	method: string,
	path: string,
	body?: unknown,
	opts: { origin?: string | null } = {}
) {
	const headers: Record<string, string> = {};
	if ('cookie' in caller) {
		headers.cookie = caller.cookie;
		// As a browser does on a change from the app's own pages.
		if (opts.origin !== null) headers.origin = opts.origin ?? server.url;
	} else headers.authorization = `Bearer ${caller.token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	return fetch(server.url + path, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

async function json<T>(res: Response, status = 200): Promise<T> {
	const text = await res.text();
	expect(res.status, text).toBe(status);
	return JSON.parse(text) as T;
}

interface CreateAnswer {
	accepted: number;
	duplicates: number;
	rejected: { index: number; error: string }[];
	complaints: { index: number; id: string; outcome: string }[];
}

interface ListAnswer {
	total: number;
	complaints: ComplaintView[];
}

/** until() for checks that need a request. */
async function eventually<T>(
	check: () => Promise<T | undefined | false>,
	timeoutMs = 5000
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() - started > timeoutMs)
			throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const minutesAgo = (n: number) => new Date(Date.now() - n * MIN).toISOString();

forEachDatabase('complaints API', (db) => {
	let server: TestServer;
	let ingest: Caller;
	let helpdesk: { username: string; caller: Caller };
	let puneOfficer: { username: string; caller: Caller };
	let nagpurOfficer: { username: string; caller: Caller };
	let stateOfficer: { username: string; caller: Caller };
	let secretary: { username: string; caller: Caller };

	const file = async (caller: Caller, items: unknown[]) =>
		json<CreateAnswer>(await api(server, caller, 'POST', '/api/v1/complaints', items));
	const read = async (caller: Caller, id: string) =>
		json<{ complaint: ComplaintView; history: ComplaintEventView[] }>(
			await api(server, caller, 'GET', `/api/v1/complaints/${encodeURIComponent(id)}`)
		);
	const patch = (caller: Caller, id: string, body: unknown) =>
		api(server, caller, 'PATCH', `/api/v1/complaints/${encodeURIComponent(id)}`, body);
	const list = async (caller: Caller, query = '') =>
		json<ListAnswer>(await api(server, caller, 'GET', `/api/v1/complaints${query}`));
	const snapshot = async () =>
		json<Snapshot>(
			await fetch(`${server.url}/api/v1/snapshot`, {
				headers: { authorization: `Bearer ${server.readToken}` }
			})
		);

	beforeAll(async () => {
		// Spikes are the other group's business: a threshold these tests never reach.
		server = await startTestServer(db(), {
			COMPLAINT_SPIKE_COUNT: '1000',
			COMPLAINT_CHECK_SECONDS: '3600'
		});
		await seedSmallState(server, localDate(new Date(), TZ));
		ingest = { token: server.ingestToken };
		helpdesk = await person(server, 'helpdesk');
		puneOfficer = await person(server, 'district_officer', [PUNE]);
		nagpurOfficer = await person(server, 'district_officer', [NAGPUR]);
		stateOfficer = await person(server, 'state_officer');
		secretary = await person(server, 'secretary');
	});
	afterAll(async () => server?.close());

	it('files complaints per item: accepted, rejected with a reason, the rejects quarantined', async () => {
		const answer = await file(ingest, [
			{
				channel: 'whatsapp',
				category: 'otp_not_received',
				siteCode: 'P1',
				callerPhone: '98765 43210'
			},
			{ channel: 'web', category: 'long_queue', districtCode: NAGPUR, notes: 'Queue since 8' },
			{ channel: 'fax', category: 'long_queue' },
			{ channel: 'phone', category: 'site_closed', siteCode: 'NOPE' },
			{ channel: 'phone', category: 'site_closed', siteCode: 'P1', districtCode: NAGPUR },
			{ channel: 'phone', category: 'other', districtCode: '999' }
		]);
		expect(answer).toMatchObject({
			accepted: 2,
			duplicates: 0,
			rejected: [
				{ index: 2, error: expect.stringContaining('channel: must be one of') },
				{ index: 3, error: 'unknown site' },
				{
					index: 4,
					error: expect.stringContaining(`does not match site P1, which is in district ${PUNE}`)
				},
				{ index: 5, error: 'unknown district' }
			]
		});
		expect(answer.complaints.map((c) => [c.index, c.outcome])).toEqual([
			[0, 'accepted'],
			[1, 'accepted']
		]);
		expect(answer.complaints[0].id).toMatch(/^C-[0-9A-Z]{8}$/);

		const { complaint, history } = await read(helpdesk.caller, answer.complaints[0].id);
		// The district comes from the site; the phone is kept in one form.
		expect(complaint).toMatchObject({
			status: 'new',
			priority: 'normal',
			siteCode: 'P1',
			siteName: 'Site P1',
			districtCode: PUNE,
			callerPhone: '+919876543210',
			createdBy: 'token:test-ingest'
		});
		expect(Date.parse(complaint.slaDueAt) - Date.parse(complaint.at)).toBe(240 * MIN);
		expect(history).toMatchObject([
			{ kind: 'created', toStatus: 'new', actor: 'token:test-ingest' }
		]);

		const quarantined = await pendingQuarantine(db().db, { feed: 'complaints', limit: 10 });
		expect(quarantined.map((q) => q.error)).toEqual([
			expect.stringContaining('channel'),
			'unknown site',
			expect.stringContaining('does not match'),
			'unknown district'
		]);
		expect(quarantined[1].item).toEqual({
			channel: 'phone',
			category: 'site_closed',
			siteCode: 'NOPE'
		});
	});

	it('files quarantined complaints again once what they lacked exists', async () => {
		// The feeds' replay leaves complaint items alone (their reasons kept)…
		await replayQuarantine(db(), server.services.ingest, { timeZone: TZ });
		const before = await pendingQuarantine(db().db, { feed: 'complaints', limit: 10 });
		expect(before.map((q) => q.replayAttempts)).toEqual([0, 0, 0, 0]);
		// …the complaint path files them: the unknown site exists now.
		const today = localDate(new Date(), TZ);
		const session = await server.post('/api/v1/sessions', [
			{
				sessionId: `S-NOPE-${today}`,
				siteCode: 'NOPE',
				date: today,
				capacity: 10,
				site: { name: 'Site NOPE', districtCode: PUNE }
			}
		]);
		expect(session.status).toBe(200);
		expect((await api(server, helpdesk.caller, 'POST', '/api/v1/complaints/replay')).status).toBe(
			403
		);
		const report = await json<{ replayed: number; stillRejected: number }>(
			await api(server, ingest, 'POST', '/api/v1/complaints/replay')
		);
		expect(report).toEqual({ replayed: 1, stillRejected: 3 });
		const after = await pendingQuarantine(db().db, { feed: 'complaints', limit: 10 });
		expect(after.map((q) => q.replayAttempts)).toEqual([1, 1, 1]);
		expect((await list(helpdesk.caller, '?siteCode=NOPE')).complaints).toMatchObject([
			{ category: 'site_closed', districtCode: PUNE, status: 'new' }
		]);
	});

	it('answers 400 to a body that is not JSON, and 401/403 to callers who may not file', async () => {
		const res = await fetch(`${server.url}/api/v1/complaints`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${server.ingestToken}`,
				'content-type': 'application/json'
			},
			body: 'channel=phone'
		});
		expect(res.status).toBe(400);
		expect((await res.json()).error).toContain('invalid JSON');
		const anonymous = await fetch(`${server.url}/api/v1/complaints`, {
			method: 'POST',
			body: '[]'
		});
		expect(anonymous.status).toBe(401);
		expect(
			(await api(server, { token: server.readToken }, 'POST', '/api/v1/complaints', [])).status
		).toBe(403);
		expect((await api(server, secretary.caller, 'POST', '/api/v1/complaints', [])).status).toBe(
			403
		);
	});

	it('is idempotent by the id the sender gives', async () => {
		const item = {
			id: 'wa-2021-0001',
			channel: 'whatsapp',
			category: 'sms_not_received',
			siteCode: 'P2'
		};
		expect(await file(ingest, [item])).toMatchObject({ accepted: 1, duplicates: 0 });
		expect(await file(ingest, [{ ...item, notes: 'sent again' }])).toMatchObject({
			accepted: 0,
			duplicates: 1,
			complaints: [{ index: 0, id: 'wa-2021-0001', outcome: 'duplicate' }]
		});
		const twice = await file(ingest, [
			{ ...item, id: 'wa-2021-0002' },
			{ ...item, id: 'wa-2021-0002' }
		]);
		expect(twice).toMatchObject({ accepted: 1, duplicates: 1 });
		const found = await list(helpdesk.caller, '?q=wa-2021-000');
		expect(found.complaints.map((c) => c.id).sort()).toEqual(['wa-2021-0001', 'wa-2021-0002']);
		expect(found.complaints.find((c) => c.id === 'wa-2021-0001')?.notes).toBeNull();
	});

	it('makes an adverse event urgent whatever priority was asked', async () => {
		const at = minutesAgo(5);
		const answer = await file(helpdesk.caller, [
			{ id: 'aefi-1', at, channel: 'phone', category: 'aefi', siteCode: 'P3', priority: 'low' }
		]);
		expect(answer.accepted).toBe(1);
		const { complaint, history } = await read(helpdesk.caller, 'aefi-1');
		expect(complaint.priority).toBe('urgent');
		expect(Date.parse(complaint.slaDueAt)).toBe(Date.parse(at) + 15 * MIN);
		expect(history[0].note).toContain('always urgent');
	});

	it('lists complaints with their status and SLA due time, breaches flagged', async () => {
		await file(ingest, [
			{
				id: 'late-1',
				at: minutesAgo(300),
				channel: 'phone',
				category: 'long_queue',
				siteCode: 'P2'
			},
			{ id: 'fresh-1', at: minutesAgo(1), channel: 'phone', category: 'long_queue', siteCode: 'P2' }
		]);
		const answer = await list(helpdesk.caller, '?status=new&siteCode=P2');
		const late = answer.complaints.find((c) => c.id === 'late-1')!;
		const fresh = answer.complaints.find((c) => c.id === 'fresh-1')!;
		expect(late).toMatchObject({ status: 'new', slaBreached: true });
		expect(fresh).toMatchObject({ status: 'new', slaBreached: false });
		expect(Date.parse(late.slaDueAt)).toBeLessThan(Date.now());
		// The soonest due first.
		const ids = answer.complaints.map((c) => c.id);
		expect(ids.indexOf('late-1')).toBeLessThan(ids.indexOf('fresh-1'));
		expect(answer.complaints.every((c) => c.siteCode === 'P2' && c.status === 'new')).toBe(true);
		expect(answer.total).toBe(answer.complaints.length);
	});

	it('keeps a district officer to its districts', async () => {
		const filed = await file(ingest, [
			{ id: 'scope-pune', channel: 'phone', category: 'other', siteCode: 'P1' },
			{ id: 'scope-nagpur', channel: 'phone', category: 'other', siteCode: 'N1' },
			{ id: 'scope-none', channel: 'other', category: 'other' }
		]);
		expect(filed.accepted).toBe(3);

		const seen = await list(puneOfficer.caller);
		expect(seen.complaints.length).toBeGreaterThan(0);
		expect(seen.complaints.every((c) => c.districtCode === PUNE)).toBe(true);
		expect(
			(await api(server, puneOfficer.caller, 'GET', `/api/v1/complaints?districtCode=${NAGPUR}`))
				.status
		).toBe(403);
		expect(
			(await api(server, puneOfficer.caller, 'GET', '/api/v1/complaints/scope-nagpur')).status
		).toBe(404);
		expect(
			(await api(server, puneOfficer.caller, 'GET', '/api/v1/complaints/scope-none')).status
		).toBe(404);
		expect((await patch(puneOfficer.caller, 'scope-nagpur', { status: 'triaged' })).status).toBe(
			404
		);
		expect((await read(nagpurOfficer.caller, 'scope-nagpur')).complaint.districtCode).toBe(NAGPUR);

		// Filing: only inside its districts, and it must name one.
		const answer = await file(puneOfficer.caller, [
			{ channel: 'phone', category: 'other', siteCode: 'P1' },
			{ channel: 'phone', category: 'other', siteCode: 'N1' },
			{ channel: 'phone', category: 'other' }
		]);
		expect(answer).toMatchObject({
			accepted: 1,
			rejected: [
				{ index: 1, error: `forbidden: district ${NAGPUR} is not one of yours` },
				{ index: 2, error: 'forbidden: name a site or district in your districts' }
			]
		});
		// Moving a complaint into another district is refused too.
		expect((await patch(puneOfficer.caller, 'scope-pune', { siteCode: 'N1' })).status).toBe(403);

		// State-wide roles see everything, complaints without a district included.
		const all = await list(stateOfficer.caller, '?q=scope-');
		expect(all.complaints.map((c) => c.id).sort()).toEqual([
			'scope-nagpur',
			'scope-none',
			'scope-pune'
		]);
		// Roles that do not work complaints cannot read them.
		expect((await api(server, secretary.caller, 'GET', '/api/v1/complaints')).status).toBe(403);
		expect(
			(await api(server, { token: server.readToken }, 'GET', '/api/v1/complaints')).status
		).toBe(403);
	});

	it('moves complaints through the workflow, refusing what is not allowed, with full history', async () => {
		await file(helpdesk.caller, [
			{ id: 'wf-1', channel: 'phone', category: 'otp_not_received', siteCode: 'P1' }
		]);
		const step = async (body: unknown, status = 200) => {
			const res = await patch(helpdesk.caller, 'wf-1', body);
			const text = await res.text();
			expect(res.status, text).toBe(status);
			return JSON.parse(text) as { complaint?: ComplaintView; error?: string };
		};
		expect((await step({ status: 'closed' }, 422)).error).toContain(
			'a new complaint cannot move to closed'
		);
		expect((await step({ status: 'triaged' })).complaint?.status).toBe('triaged');
		expect((await step({ assignee: 'nobody-here' }, 422)).error).toContain('no active person');
		expect((await step({ assignee: nagpurOfficer.username }, 422)).error).toContain(
			`does not work complaints in district ${PUNE}`
		);
		expect((await step({ assignee: puneOfficer.username })).complaint).toMatchObject({
			status: 'assigned',
			assignee: puneOfficer.username
		});
		expect((await step({ status: 'resolved' }, 422)).error).toContain('needs a note');
		expect((await step({ from: 'triaged', status: 'resolved', note: 'x' }, 409)).error).toContain(
			'is assigned now, not triaged'
		);
		// The officer it was assigned to resolves it.
		const resolved = await patch(puneOfficer.caller, 'wf-1', {
			from: 'assigned',
			status: 'resolved',
			note: 'Told the caller the site is on paper; go at 10:00'
		});
		expect(
			(await json<{ complaint: ComplaintView }>(resolved)).complaint.resolvedAt
		).not.toBeNull();
		expect((await step({ status: 'closed' })).complaint?.closedAt).not.toBeNull();
		expect((await step({ status: 'triaged', note: 'again' }, 422)).error).toContain(
			'closed complaint'
		);
		expect((await step({ note: 'Caller called to thank' })).complaint?.status).toBe('closed');
		expect((await step({ bogus: 1 }, 400)).error).toContain('bad body');

		const { history } = await read(helpdesk.caller, 'wf-1');
		expect(history.map((h) => [h.kind, h.fromStatus, h.toStatus, h.actor])).toEqual([
			['created', null, 'new', helpdesk.username],
			['status', 'new', 'triaged', helpdesk.username],
			['status', 'triaged', 'assigned', helpdesk.username],
			['assigned', null, null, helpdesk.username],
			['status', 'assigned', 'resolved', puneOfficer.username],
			['status', 'resolved', 'closed', helpdesk.username],
			['note', null, null, helpdesk.username]
		]);
		expect(history[4].note).toBe('Told the caller the site is on paper; go at 10:00');
		// Each change is in the audit log too, without the notes' words (they may name people).
		const audited = await db().rows<{ actor: string; action: string; detail: unknown }>(
			sql`select actor, action, detail from audit_log where target = 'wf-1' order by id`
		);
		expect(audited.map((a) => [a.actor, a.action])).toEqual([
			[helpdesk.username, 'complaint.update'],
			[helpdesk.username, 'complaint.update'],
			[puneOfficer.username, 'complaint.update'],
			[helpdesk.username, 'complaint.update'],
			[helpdesk.username, 'complaint.update']
		]);
		expect(audited[2].detail).toMatchObject({ from: 'assigned', status: 'resolved', note: true });
		expect(JSON.stringify(audited)).not.toContain('Told the caller');
	});

	it('refuses a cookie change that does not come from this server’s pages', async () => {
		await file(helpdesk.caller, [
			{ id: 'csrf-1', channel: 'phone', category: 'other', siteCode: 'P1' }
		]);
		const foreign = await api(
			server,
			helpdesk.caller,
			'PATCH',
			'/api/v1/complaints/csrf-1',
			{ status: 'triaged' },
			{
				origin: 'https://evil.example'
			}
		);
		expect(foreign.status).toBe(403);
		const none = await api(server, helpdesk.caller, 'POST', '/api/v1/complaints', [], {
			origin: null
		});
		expect(none.status).toBe(403);
		expect((await read(helpdesk.caller, 'csrf-1')).complaint.status).toBe('new');
	});

	it('links many complaints to one incident in one go', async () => {
		await file(
			ingest,
			['l1', 'l2', 'l3'].map((id) => ({
				id,
				channel: 'phone',
				category: 'otp_not_received',
				siteCode: 'P1'
			}))
		);
		const linked = await json<{
			incident: { id: string; title: string };
			linked: number;
			unchanged: number;
			rejected: { id: string; error: string }[];
		}>(
			await api(server, helpdesk.caller, 'POST', '/api/v1/complaints/link', {
				ids: ['l1', 'l2', 'l3', 'l3', 'missing'],
				title: 'OTP outage, Pune'
			})
		);
		expect(linked).toMatchObject({
			linked: 3,
			unchanged: 0,
			rejected: [{ id: 'missing', error: 'no such complaint' }]
		});
		const incident = linked.incident;
		const members = await list(helpdesk.caller, `?incidentId=${incident.id}`);
		expect(members.complaints.map((c) => c.id).sort()).toEqual(['l1', 'l2', 'l3']);
		expect(members.complaints[0].incidentTitle).toBe('OTP outage, Pune');

		const { incidents } = await json<{ incidents: IncidentView[] }>(
			await api(server, helpdesk.caller, 'GET', '/api/v1/complaints/incidents')
		);
		expect(incidents.find((i) => i.id === incident.id)).toMatchObject({ complaints: 3, open: 3 });
		// A Nagpur officer does not see an incident of Pune complaints.
		const nagpurs = await json<{ incidents: IncidentView[] }>(
			await api(server, nagpurOfficer.caller, 'GET', '/api/v1/complaints/incidents')
		);
		expect(nagpurs.incidents.find((i) => i.id === incident.id)).toBeUndefined();

		// Taking one out again.
		const out = await json<{ linked: number }>(
			await api(server, helpdesk.caller, 'POST', '/api/v1/complaints/link', {
				ids: ['l3'],
				incidentId: null
			})
		);
		expect(out.linked).toBe(1);
		const { history } = await read(helpdesk.caller, 'l3');
		expect(history.map((h) => h.kind)).toEqual(['created', 'linked', 'unlinked']);
	});

	it('hands an action to the officers and brings its outcome back to the complaints', async () => {
		await file(
			ingest,
			['h1', 'h2'].map((id) => ({ id, channel: 'phone', category: 'site_closed', siteCode: 'P3' }))
		);
		const raise = (id: string, body: unknown) =>
			api(server, helpdesk.caller, 'POST', `/api/v1/complaints/${id}/actions`, body);
		const first = await json<{ actionId: string; joined: boolean; complaint: ComplaintView }>(
			await raise('h1', { kind: 'switch_manual', note: 'Vaccinator app down since 9' })
		);
		expect(first.joined).toBe(false);
		expect(first.complaint.action).toMatchObject({
			kind: 'switch_manual',
			state: 'requested',
			siteCode: 'P3'
		});
		// The request is an alert in the officers' feed.
		const alert = await eventually(async () =>
			(await snapshot()).alerts.find((a) => a.id === first.actionId)
		);
		expect(alert).toMatchObject({
			kind: 'helpdesk_action',
			siteCode: 'P3',
			districtCode: PUNE,
			status: 'open'
		});
		expect(alert.summary).toContain('switch Site P3 (P3) to manual registration');

		// A second complaint about the same site joins the request rather than raising another.
		const second = await json<{ actionId: string; joined: boolean }>(
			await raise('h2', { kind: 'switch_manual' })
		);
		expect(second).toMatchObject({ actionId: first.actionId, joined: true });
		const [{ n }] = await db().rows<{ n: number }>(
			sql`select count(*)::int as n from alerts where kind = 'helpdesk_action' and site_code = 'P3'`
		);
		expect(Number(n)).toBe(1);

		// An officer acknowledges it in their alert list…
		await db()
			.db.update(alerts)
			.set({ status: 'acknowledged' })
			.where(sql`id = ${first.actionId}`);
		await db().db.insert(alertEvents).values({
			alertId: first.actionId,
			kind: 'acknowledged',
			actor: puneOfficer.username,
			text: 'Calling the site in-charge'
		});
		await server.services.complaints.checkActions();
		let { history, complaint } = await read(helpdesk.caller, 'h1');
		expect(history.at(-1)).toMatchObject({
			kind: 'outcome',
			actor: 'system',
			note: `Officer ${puneOfficer.username} acknowledged the request: Calling the site in-charge`
		});
		expect(complaint.action?.state).toBe('acknowledged');
		// Later words on the alert come back too, once each.
		await db().db.insert(alertEvents).values({
			alertId: first.actionId,
			kind: 'note',
			actor: puneOfficer.username,
			text: 'In-charge says the tablet is dead'
		});
		await server.services.complaints.checkActions();
		await server.services.complaints.checkActions();
		({ history } = await read(helpdesk.caller, 'h2'));
		expect(history.filter((h) => h.kind === 'outcome').map((h) => h.note)).toEqual([
			`Officer ${puneOfficer.username} acknowledged the request: Calling the site in-charge`,
			`Officer ${puneOfficer.username} noted: In-charge says the tablet is dead`
		]);

		// …and switches the site to manual: the request is done, for both complaints.
		await setSiteMode(db().db, 'P3', 'manual', new Date());
		await server.services.complaints.checkActions();
		({ history, complaint } = await read(helpdesk.caller, 'h1'));
		expect(history.at(-1)?.note).toMatch(
			/^Site P3 switched to manual \(paper\) registration at \d\d:\d\d$/
		);
		expect(complaint.action?.state).toBe('done');
		expect((await read(helpdesk.caller, 'h2')).complaint.action?.state).toBe('done');
		await eventually(async () => !(await snapshot()).alerts.some((a) => a.id === first.actionId));
		// Written once: another check adds nothing.
		await server.services.complaints.checkActions();
		expect((await read(helpdesk.caller, 'h1')).history).toHaveLength(history.length);

		// Asking to switch a site that is on paper already is refused.
		const again = await raise('h1', { kind: 'switch_manual' });
		expect(again.status).toBe(409);
		expect((await again.json()).error).toContain('on manual registration already');
		expect((await raise('h1', { kind: 'other' })).status).toBe(422);
	});

	it('closes a request to the officers once its complaints are answered', async () => {
		await file(ingest, [
			{ id: 'r1', channel: 'phone', category: 'sms_not_received', siteCode: 'P2' }
		]);
		const raised = await json<{ actionId: string }>(
			await api(server, helpdesk.caller, 'POST', '/api/v1/complaints/r1/actions', {
				kind: 'resend_sms',
				note: 'Nobody at P2 got the appointment SMS'
			})
		);
		await server.services.complaints.checkActions();
		await eventually(async () => (await snapshot()).alerts.some((a) => a.id === raised.actionId));

		await json(
			await patch(helpdesk.caller, 'r1', { status: 'resolved', note: 'SMS arrived at last' })
		);
		await server.services.complaints.checkActions();
		const { history, complaint } = await read(helpdesk.caller, 'r1');
		expect(history.at(-1)?.note).toBe(
			'Request closed by the help desk: its complaints are answered'
		);
		expect(complaint.action?.state).toBe('done');
		await eventually(async () => !(await snapshot()).alerts.some((a) => a.id === raised.actionId));
		const [row] = await db().rows<{ status: string }>(
			sql`select status from alerts where id = ${raised.actionId}`
		);
		expect(row.status).toBe('resolved');
	});

	it('shows the live context of a site for the call', async () => {
		const context = await json<SiteContextView>(
			await api(server, helpdesk.caller, 'GET', '/api/v1/sites/P1/context')
		);
		expect(context.site).toMatchObject({
			code: 'P1',
			name: 'Site P1',
			districtCode: PUNE,
			districtName: 'Pune',
			mode: 'online'
		});
		expect(context.sessions).toHaveLength(1);
		expect(context.complaints.total).toBeGreaterThan(0);
		expect(
			(await api(server, nagpurOfficer.caller, 'GET', '/api/v1/sites/P1/context')).status
		).toBe(404);
		expect(
			(await api(server, helpdesk.caller, 'GET', '/api/v1/sites/NO-SUCH/context')).status
		).toBe(404);
	});

	it('sends filed and changed complaints live, only to people who work them in that district', async () => {
		const connect = (caller: Caller) => {
			const received: ComplaintView[] = [];
			const socket: TestSocket = io(server.url, {
				path: '/socket.io',
				transports: ['websocket'],
				reconnection: false,
				extraHeaders: 'cookie' in caller ? { cookie: caller.cookie } : {}
			});
			socket.on('complaint', (c) => received.push(c));
			const connected = new Promise<void>((ok, fail) => {
				socket.once('snapshot', () => ok());
				socket.once('connect_error', fail);
			});
			return { socket, received, connected };
		};
		const desk = connect(helpdesk.caller);
		const pune = connect(puneOfficer.caller);
		const nagpur = connect(nagpurOfficer.caller);
		const sec = connect(secretary.caller);
		try {
			await Promise.all([desk.connected, pune.connected, nagpur.connected, sec.connected]);
			await file(ingest, [
				{
					id: 'live-1',
					channel: 'phone',
					category: 'long_queue',
					siteCode: 'P1',
					callerPhone: '9876500000'
				}
			]);
			const seen = await until(() => desk.received.find((c) => c.id === 'live-1'));
			expect(seen).toMatchObject({
				status: 'new',
				districtCode: PUNE,
				callerPhone: '+919876500000'
			});
			await until(() => pune.received.some((c) => c.id === 'live-1'));

			await json(await patch(helpdesk.caller, 'live-1', { status: 'triaged' }));
			await until(() => pune.received.some((c) => c.id === 'live-1' && c.status === 'triaged'));
			// A Nagpur complaint reaches the help desk, and Pune's officer does not hear of it.
			await file(ingest, [
				{ id: 'live-2', channel: 'phone', category: 'long_queue', siteCode: 'N1' }
			]);
			await until(() => nagpur.received.some((c) => c.id === 'live-2'));
			await until(() => desk.received.some((c) => c.id === 'live-2'));
			expect(pune.received.some((c) => c.id === 'live-2')).toBe(false);
			expect(nagpur.received.some((c) => c.id === 'live-1')).toBe(false);
			expect(sec.received).toEqual([]);
		} finally {
			for (const s of [desk, pune, nagpur, sec]) s.socket.disconnect();
		}
	});
});

forEachDatabase('complaint spikes', (db) => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startTestServer(db(), {
			COMPLAINT_SPIKE_COUNT: '5',
			COMPLAINT_SPIKE_MINUTES: '15',
			COMPLAINT_CHECK_SECONDS: '3600'
		});
		await seedSmallState(server, localDate(new Date(), TZ));
	});
	afterAll(async () => server?.close());

	const otp = (n: number, prefix: string, siteCode = 'P1') =>
		Array.from({ length: n }, (_, i) => ({
			id: `${prefix}-${i}`,
			at: new Date(Date.now() - (n - i) * 1000).toISOString(),
			channel: 'phone',
			category: 'otp_not_received',
			siteCode
		}));
	const spikes = () =>
		db().rows<{ id: string; district_code: string; status: string; summary: string }>(
			sql`select id, district_code, status, summary from alerts where kind = 'complaint_spike' order by opened_at`
		);
	const snapshot = async (token: string) =>
		(await (
			await fetch(`${server.url}/api/v1/snapshot`, {
				headers: { authorization: `Bearer ${token}` }
			})
		).json()) as Snapshot;

	it('raises a complaint_spike alert at the threshold, once per burst', async () => {
		expect((await server.post('/api/v1/complaints', otp(4, 'a'))).status).toBe(200);
		// Other categories and districts do not add up with these.
		await server.post('/api/v1/complaints', [
			{ channel: 'phone', category: 'sms_not_received', siteCode: 'P2' },
			{ channel: 'phone', category: 'otp_not_received', siteCode: 'N1' }
		]);
		await server.services.complaints.checkSpikes();
		expect(await spikes()).toEqual([]);

		await server.post('/api/v1/complaints', otp(1, 'b'));
		await server.services.complaints.checkSpikes();
		let raised = await spikes();
		expect(raised).toHaveLength(1);
		expect(raised[0]).toMatchObject({ district_code: PUNE, status: 'open' });
		expect(raised[0].summary).toBe('5 complaints of OTP not received from Pune in 15 min');

		// On the officers' feed.
		const alert = await eventually(async () =>
			(await snapshot(server.readToken)).alerts.find((a) => a.kind === 'complaint_spike')
		);
		expect(alert).toMatchObject({ id: raised[0].id, districtCode: PUNE, status: 'open' });

		// More of the same burst: the same alert, its count grown.
		await server.post('/api/v1/complaints', otp(3, 'c'));
		await server.services.complaints.checkSpikes();
		await server.services.complaints.checkSpikes();
		raised = await spikes();
		expect(raised).toHaveLength(1);
		expect(raised[0].summary).toBe('8 complaints of OTP not received from Pune in 15 min');
	});

	it('does not raise the same burst again after an officer resolved its alert', async () => {
		const [open] = await spikes();
		// As the officers' alert list does: resolved in the table, closed on the live feed.
		await db().rows(
			sql`update alerts set status = 'resolved', closed_at = now() where id = ${open.id}`
		);
		server.services.publish({ alertsClosed: [open.id] });
		await server.services.complaints.checkSpikes();
		expect((await spikes()).filter((a) => a.status !== 'resolved')).toEqual([]);
		// A new burst after that counts afresh.
		const fresh = otp(5, 'd').map(({ at: _at, ...c }) => c);
		await server.post('/api/v1/complaints', fresh);
		await server.services.complaints.checkSpikes();
		expect((await spikes()).filter((a) => a.status === 'open')).toHaveLength(1);
	});

	it('closes a spike when the burst is over', async () => {
		const clock = { now: Date.now() + 16 * MIN };
		const later = new ComplaintService({
			config: server.services.config,
			handle: db(),
			live: server.services.live,
			log: server.services.log,
			publish: (change) => server.services.publish(change),
			now: () => new Date(clock.now)
		});
		await later.checkSpikes();
		expect((await spikes()).filter((a) => a.status !== 'resolved')).toEqual([]);
		await eventually(
			async () =>
				!(await snapshot(server.readToken)).alerts.some((a) => a.kind === 'complaint_spike')
		);
	});
});
