/**
 * SMS delivery over the real HTTP API: Twilio callbacks and SMPP receipts with their
 * credentials and signature, reports late, twice and out of order, no-report messages,
 * the board, call lists (content, CSV, audit, scope, marks), resends and the rollups
 * agreeing with the raw rows.
 */
import { sql } from 'drizzle-orm';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { replayQuarantine } from '../../server/admin/commands/quarantine';
import { startSmsMonitor, type SmsMonitor } from '../../server/sms/monitor';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import { rebuildSmsRollups } from '../../src/lib/server/db/queries/sms-ops';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import type { CallMarkLive } from '../../src/lib/shared/sms';
import { localDate } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { httpFixture, smsFixture } from '../fixtures/sms';
import { seedSmallState, startTestServer, until, type TestServer } from './server';

const TZ = 'Asia/Kolkata';
const MIN = 60_000;
const PASSWORD = 'correct horse battery';

let serial = 0;

function message(id: string, siteCode: string, extra: Record<string, unknown> = {}) {
	return {
		messageId: id,
		beneficiaryRef: `B-${id}`,
		siteCode,
		kind: 'appointment',
		sentAt: new Date().toISOString(),
		phone: '+919800000000',
		...extra
	};
}

const sidOf = (form: string) => new URLSearchParams(smsFixture(form)).get('MessageSid')!;

async function person(server: TestServer, role: string, districts: string[] = []) {
	const username = `${role.replace('_', '-')}-${++serial}`;
	await createUserCommand(server.services.handle.db, {
		username,
		role: role as 'admin',
		districts,
		password: PASSWORD
	});
	const result = await signIn(
		server.services.handle.db,
		{ username, password: PASSWORD, ip: '127.0.0.1', userAgent: 'vitest' },
		new FailureLimiter()
	);
	if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
	return { username, cookie: `cc_session=${result.session.cookieValue}` };
}

function as(server: TestServer, cookie: string) {
	return {
		get: (path: string) => fetch(server.url + path, { headers: { cookie } }),
		post: (path: string, body: unknown) =>
			fetch(server.url + path, {
				method: 'POST',
				headers: { cookie, origin: server.url, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			})
	};
}

async function statusOf(db: DbHandle, id: string) {
	const [row] = await db.rows<{
		status: string;
		reason_group: string | null;
		error_code: string | null;
	}>(sql`select status, reason_group, error_code from sms_messages where message_id = ${id}`);
	return row;
}

/** The rollups as rows, to compare with a rebuild from the messages. */
async function rollups(db: DbHandle) {
	const siteDays = await db.rows(
		sql`select day::text, site_code, outcome, reason, messages from sms_site_days where messages <> 0 order by 1, 2, 3, 4`
	);
	const pending = await db.rows(
		sql`select minute::text, district_code, messages from sms_pending_by_district where messages <> 0 order by 1, 2`
	);
	const buckets = await db.rows(
		sql`select bucket::text, district_code, outcome, reason, messages from sms_outcome_buckets where messages <> 0 order by 1, 2, 3, 4`
	);
	return { siteDays, pending, buckets };
}

forEachDatabase('SMS delivery reports', (db) => {
	let server: TestServer;
	const today = localDate(new Date(), TZ);

	beforeAll(async () => {
		server = await startTestServer(db());
		await seedSmallState(server, today);
	});
	afterAll(async () => server?.close());

	const twilio = (body: string, init: { path?: string; headers?: Record<string, string> } = {}) =>
		fetch(server.url + (init.path ?? '/api/v1/sms/twilio'), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
			body
		});
	const smpp = (body: string, token = server.ingestToken) =>
		fetch(`${server.url}/api/v1/sms/smpp-dlr?token=${encodeURIComponent(token)}`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body
		});

	describe('credentials for gateways', () => {
		const body = 'MessageSid=SM-cred&MessageStatus=sent';

		it('takes the ingest token as Bearer, as the Basic password, or as ?token=', async () => {
			const bearer = await twilio(body, {
				headers: { authorization: `Bearer ${server.ingestToken}` }
			});
			expect(bearer.status).toBe(200);
			const basic = Buffer.from(`twilio:${server.ingestToken}`).toString('base64');
			const byBasic = await twilio(body, { headers: { authorization: `Basic ${basic}` } });
			expect(byBasic.status).toBe(200);
			const byQuery = await twilio(body, {
				path: `/api/v1/sms/twilio?token=${encodeURIComponent(server.ingestToken)}`
			});
			expect(byQuery.status).toBe(200);
			expect(await byQuery.json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
		});

		it('challenges a gateway without credentials for Basic, and refuses a read token', async () => {
			const none = await twilio(body);
			expect(none.status).toBe(401);
			expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
			const wrong = Buffer.from(`twilio:not-a-token`).toString('base64');
			expect((await twilio(body, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(
				401
			);
			const read = await twilio(body, { headers: { authorization: `Bearer ${server.readToken}` } });
			expect(read.status).toBe(403);
			expect((await smpp('id:1 stat:DELIVRD', server.readToken)).status).toBe(403);
		});
	});

	describe('Twilio status callbacks', () => {
		it.each([
			['twilio-undelivered-30003.form', 'undelivered', 'expired'],
			['twilio-undelivered-30005.form', 'undelivered', 'invalid_number'],
			['twilio-undelivered-30006.form', 'undelivered', 'invalid_number'],
			['twilio-undelivered-30007.form', 'undelivered', 'dlt_rejected'],
			['twilio-failed-30008.form', 'failed', 'unknown']
		])('%s moves its message to %s in group %s', async (form, status, group) => {
			const id = sidOf(form);
			await server.post('/api/v1/sms/messages', [message(id, 'P1')]);
			const res = await twilio(smsFixture(form), {
				headers: { authorization: `Bearer ${server.ingestToken}` }
			});
			expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
			expect(await statusOf(db(), id)).toMatchObject({
				status,
				reason_group: group,
				error_code: form.match(/\d{5}/)![0]
			});
		});

		it('counts a repeated callback as a duplicate and never moves back', async () => {
			await server.post('/api/v1/sms/messages', [message('SM-order', 'P2')]);
			const auth = { authorization: `Bearer ${server.ingestToken}` };
			const delivered = 'MessageSid=SM-order&MessageStatus=delivered';
			expect(await (await twilio(delivered, { headers: auth })).json()).toMatchObject({
				accepted: 1
			});
			expect(await (await twilio(delivered, { headers: auth })).json()).toEqual({
				accepted: 0,
				duplicates: 1,
				rejected: []
			});
			// Twilio's "sent" arriving after "delivered" is kept but does not undo it.
			await twilio('MessageSid=SM-order&MessageStatus=sent', { headers: auth });
			expect((await statusOf(db(), 'SM-order')).status).toBe('delivered');
		});

		it('quarantines an inbound status with its fields', async () => {
			const res = await twilio(smsFixture('twilio-inbound-receiving.form'), {
				headers: { authorization: `Bearer ${server.ingestToken}` }
			});
			const body = await res.json();
			expect(body.rejected[0].error).toMatch(/not a delivery status/);
			const [kept] = await db().rows<{ feed: string }>(
				sql`select feed from quarantine where item->'fields'->>'MessageStatus' = 'receiving'`
			);
			expect(kept.feed).toBe('sms-reports/twilio');
		});
	});

	describe('SMPP delivery receipts', () => {
		it('maps each stat and applies the receipt to its message', async () => {
			const ids = ['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'];
			await server.post(
				'/api/v1/sms/messages',
				ids.map((s) => message(`SMPP-${s}`, 'P3'))
			);
			const res = await smpp(smsFixture('smpp-each-stat.txt'));
			expect(await res.json()).toEqual({ accepted: 7, duplicates: 0, rejected: [] });
			const got = Object.fromEntries(
				await Promise.all(ids.map(async (s) => [s, await statusOf(db(), `SMPP-${s}`)]))
			);
			expect(got.DELIVRD).toMatchObject({ status: 'delivered', reason_group: null });
			expect(got.EXPIRED).toMatchObject({ status: 'expired', reason_group: 'expired' });
			expect(got.DELETED).toMatchObject({ status: 'failed', reason_group: 'gateway_error' });
			expect(got.UNDELIV).toMatchObject({ status: 'undelivered', reason_group: 'invalid_number' });
			expect(got.ACCEPTD).toMatchObject({ status: 'sent', reason_group: null });
			expect(got.UNKNOWN).toMatchObject({ status: 'failed', reason_group: 'unknown' });
			expect(got.REJECTD).toMatchObject({ status: 'rejected', reason_group: 'dlt_rejected' });
		});

		it('counts the same receipts twice as duplicates, and a late ENROUTE does not undo DELIVRD', async () => {
			const again = await smpp(smsFixture('smpp-each-stat.txt'));
			expect(await again.json()).toEqual({ accepted: 0, duplicates: 7, rejected: [] });
			const late =
				'id:SMPP-DELIVRD sub:001 dlvrd:000 submit date:2101160900 done date:2101160930 stat:ENROUTE err:000';
			expect(await (await smpp(late)).json()).toMatchObject({ accepted: 1 });
			expect((await statusOf(db(), 'SMPP-DELIVRD')).status).toBe('delivered');
		});

		it('keeps a receipt for a message not seen yet and applies it when the message comes', async () => {
			const res = await smpp(smsFixture('smpp-12digit-dates-uuid-id.txt'));
			expect(await res.json()).toMatchObject({ accepted: 1 });
			const id = '5b0e7c1a-93d4-4f2e-b8a6-1c9d0e2f4a73';
			expect(await statusOf(db(), id)).toBeUndefined();
			await server.post('/api/v1/sms/messages', [message(id, 'N1')]);
			expect((await statusOf(db(), id)).status).toBe('delivered');
		});

		it('matches a decimal receipt id to a message held under its hex id', async () => {
			await server.post('/api/v1/sms/messages', [message('38601fa', 'P1')]);
			await smpp(smsFixture('smpp-delivrd-10digit-dates.txt'));
			expect((await statusOf(db(), '38601fa')).status).toBe('delivered');
		});

		it('rejects bad lines alone, quarantines them, and replays them once fixed', async () => {
			await server.post('/api/v1/sms/messages', [
				message('SMPP-GOOD-1', 'P2'),
				message('SMPP-GOOD-2', 'P2'),
				message('SMPP-BAD-1', 'P2')
			]);
			const res = await smpp(smsFixture('smpp-batch-with-bad-lines.txt'));
			const body = await res.json();
			expect(body.accepted).toBe(2);
			expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3]);
			const kept = await db().rows<{ id: number; feed: string }>(
				sql`select id, feed from quarantine where item->>'line' like '%SMPP-BAD-1%'`
			);
			expect(kept.map((k) => k.feed)).toEqual(['sms-reports/smpp']);
			// An operator fixes the impossible date in place, then replays.
			await db().db.execute(
				sql`update quarantine set item = jsonb_set(item, '{line}', to_jsonb(replace(item->>'line', '2101169900', '2101160900'))) where id = ${kept[0].id}`
			);
			await replayQuarantine(db(), server.services.ingest, {
				feed: 'sms-reports/smpp',
				timeZone: TZ
			});
			expect((await statusOf(db(), 'SMPP-BAD-1')).status).toBe('undelivered');
		});
	});

	describe('the board and call lists', () => {
		const date = today;
		let officer: ReturnType<typeof as>;
		let officerName: string;
		let officerCookie: string;

		beforeAll(async () => {
			const o = await person(server, 'state_officer');
			officer = as(server, o.cookie);
			officerName = o.username;
			officerCookie = o.cookie;
			const now = Date.now();
			const people = ['delivered', 'failed', 'silent', 'waiting', 'unsent', 'resent-ok'];
			await server.post(
				'/api/v1/appointments',
				people.map((p, i) => ({
					beneficiaryRef: `CL-${p}`,
					siteCode: 'N1',
					date,
					slot: `0${9 + (i % 3)}:00-1${i % 3}:00`,
					name: `Person ${p}`,
					phone: `+91980000000${i}`
				}))
			);
			const msg = (p: string, ageMin: number, extra: Record<string, unknown> = {}) => ({
				...message(`CL-M-${p}`, 'N1', {
					beneficiaryRef: `CL-${p}`,
					sessionDate: date,
					sentAt: new Date(now - ageMin * MIN).toISOString()
				}),
				...extra
			});
			await server.post('/api/v1/sms/messages', [
				msg('delivered', 50),
				msg('failed', 45),
				msg('silent', 40),
				msg('waiting', 5),
				msg('resent-ok', 44),
				// Someone else's appointment message at another site: not on this list.
				message('CL-M-other', 'P1', { beneficiaryRef: 'CL-failed', sessionDate: date })
			]);
			await server.post('/api/v1/sms/reports', [
				{
					messageId: 'CL-M-delivered',
					status: 'delivered',
					at: new Date(now - 49 * MIN).toISOString()
				},
				{
					messageId: 'CL-M-failed',
					status: 'failed',
					at: new Date(now - 44 * MIN).toISOString(),
					errorCode: '30005'
				},
				{
					messageId: 'CL-M-resent-ok',
					status: 'failed',
					at: new Date(now - 43 * MIN).toISOString(),
					reason: 'DND registered'
				},
				{ messageId: 'CL-M-other', status: 'failed', at: new Date().toISOString() }
			]);
		});

		it('counts no report after SMS_NO_REPORT_MINUTES, from the rollups', async () => {
			const res = await officer.get('/api/v1/sms/board');
			expect(res.status).toBe(200);
			const board = await res.json();
			const nagpur = board.districts.find((d: { code: string }) => d.code === '505');
			expect(nagpur).toMatchObject({ noReport: 1, awaiting: 1 });
			expect(nagpur.byReason).toMatchObject({ invalid_number: 1, dnd_blocked: 1 });
			expect(board.noReportMinutes).toBe(30);
			const worst = board.worstSites.map((s: { code: string }) => s.code);
			expect(worst).toContain('N1');
			const map = await (await officer.get('/api/v1/sms/districts')).json();
			expect(
				map.districts.find((d: { code: string }) => d.code === '505').deliveryRate
			).toBeGreaterThan(0);
		});

		it('lists exactly the failed, no-report and never-sent people', async () => {
			const res = await officer.get(`/api/v1/sites/N1/call-list?date=${date}`);
			expect(res.status).toBe(200);
			const { entries } = await res.json();
			const byRef = Object.fromEntries(
				entries.map((e: { beneficiaryRef: string; reason: string }) => [e.beneficiaryRef, e.reason])
			);
			expect(byRef).toEqual({
				'CL-failed': 'invalid_number',
				'CL-silent': 'no_report',
				'CL-unsent': 'not_sent',
				'CL-resent-ok': 'dnd_blocked'
			});
			const failed = entries.find(
				(e: { beneficiaryRef: string }) => e.beneficiaryRef === 'CL-failed'
			);
			expect(failed).toMatchObject({
				name: 'Person failed',
				phone: '+919800000001',
				messageId: 'CL-M-failed'
			});
		});

		it('writes every CSV download to the audit log', async () => {
			const res = await officer.get(`/api/v1/sites/N1/call-list.csv?date=${date}`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
			expect(res.headers.get('content-disposition')).toContain(`call-list-N1-${date}.csv`);
			const lines = (await res.text()).trim().split('\r\n');
			expect(lines[0]).toBe(
				'beneficiary_ref,name,phone,slot,reason,error_code,last_sms_at,call_outcome,marked_by,marked_at'
			);
			expect(
				lines
					.slice(1)
					.map((l) => l.split(',')[0])
					.sort()
			).toEqual(['CL-failed', 'CL-resent-ok', 'CL-silent', 'CL-unsent']);
			const [audit] = await db().rows<{
				actor: string;
				target: string;
				detail: { rows: number; date: string };
			}>(
				sql`select actor, target, detail from audit_log where action = 'calllist.download' order by id desc limit 1`
			);
			expect(audit).toMatchObject({
				actor: officerName,
				target: 'site:N1',
				detail: { rows: 4, date }
			});
		});

		it('keeps a district officer to its own districts', async () => {
			const pune = as(server, (await person(server, 'district_officer', ['521'])).cookie);
			expect((await pune.get(`/api/v1/sites/N1/call-list.csv?date=${date}`)).status).toBe(403);
			expect((await pune.get(`/api/v1/sites/P1/call-list.csv?date=${date}`)).status).toBe(200);
			const board = await (await pune.get('/api/v1/sms/board')).json();
			expect(board.districts.map((d: { code: string }) => d.code)).toEqual(['521']);
			const secretary = as(server, (await person(server, 'secretary')).cookie);
			expect((await secretary.get(`/api/v1/sites/N1/call-list?date=${date}`)).status).toBe(403);
			expect((await secretary.get('/api/v1/sms/board')).status).toBe(200);
			expect((await officer.get(`/api/v1/sites/NOPE/call-list?date=${date}`)).status).toBe(404);
			expect((await officer.get(`/api/v1/sites/N1/call-list?date=16-01-2021`)).status).toBe(400);
		});

		it('marks a person reached, audited, and the pending CSV leaves them out', async () => {
			const res = await officer.post('/api/v1/sites/N1/call-list/marks', {
				date,
				beneficiaryRef: 'CL-silent',
				outcome: 'reached'
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({
				siteCode: 'N1',
				beneficiaryRef: 'CL-silent',
				outcome: 'reached'
			});
			const pending = await (
				await officer.get(`/api/v1/sites/N1/call-list.csv?date=${date}&pending=1`)
			).text();
			expect(pending).not.toContain('CL-silent');
			const all = await (await officer.get(`/api/v1/sites/N1/call-list.csv?date=${date}`)).text();
			expect(all).toMatch(/CL-silent,.*,Reached by phone,/);
			const [audit] = await db().rows<{ detail: { outcome: string } }>(
				sql`select detail from audit_log where action = 'calllist.mark' order by id desc limit 1`
			);
			expect(audit.detail.outcome).toBe('reached');
			const unknown = await officer.post('/api/v1/sites/N1/call-list/marks', {
				date,
				beneficiaryRef: 'CL-nobody',
				outcome: 'reached'
			});
			expect(unknown.status).toBe(404);
			const bad = await officer.post('/api/v1/sites/N1/call-list/marks', {
				date,
				beneficiaryRef: 'CL-silent',
				outcome: 'maybe'
			});
			expect(bad.status).toBe(400);
		});

		it('sends each mark to the sockets of people who may read that call list', async () => {
			const pune = await person(server, 'district_officer', ['521']);
			const heard: Record<string, CallMarkLive[]> = { officer: [], pune: [] };
			const sockets = [
				['officer', officerCookie],
				['pune', pune.cookie]
			].map(([who, cookie]) => {
				const socket = io(server.url, {
					path: '/socket.io',
					transports: ['websocket'],
					reconnection: false,
					extraHeaders: { cookie }
				});
				socket.on('callMark', (m: CallMarkLive) => heard[who].push(m));
				return socket;
			});
			try {
				await until(() => sockets.every((s) => s.connected));
				await officer.post('/api/v1/sites/N1/call-list/marks', {
					date,
					beneficiaryRef: 'CL-unsent',
					outcome: 'not_reachable'
				});
				const mark = await until(() => heard.officer[0]);
				expect(mark).toMatchObject({
					siteCode: 'N1',
					date,
					beneficiaryRef: 'CL-unsent',
					outcome: 'not_reachable',
					by: officerName
				});
				// A Pune officer's screen never hears of Nagpur's call list.
				await officer.post('/api/v1/sites/N1/call-list/marks', {
					date,
					beneficiaryRef: 'CL-unsent',
					outcome: null
				});
				await until(() => heard.officer.length === 2);
				expect(heard.officer[1].outcome).toBeNull();
				expect(heard.pune).toEqual([]);
			} finally {
				for (const s of sockets) s.disconnect();
			}
		});

		it('resends failed messages as new tracked messages, and refuses the others', async () => {
			const res = await officer.post('/api/v1/sites/N1/resend', {
				date,
				language: 'hi',
				messageIds: ['CL-M-failed', 'CL-M-delivered', 'CL-M-waiting', 'CL-M-nope']
			});
			expect(res.status).toBe(200);
			const answer = await res.json();
			expect(answer).toMatchObject({
				requested: 4,
				resends: [{ messageId: 'CL-M-failed~r1', resendOf: 'CL-M-failed' }],
				notifier: 'log',
				handedOver: true
			});
			expect(answer.rejected.map((r: { messageId: string }) => r.messageId).sort()).toEqual([
				'CL-M-delivered',
				'CL-M-nope',
				'CL-M-waiting'
			]);
			const [resend] = await db().rows<{ resend_of: string; status: string; session_date: string }>(
				sql`select resend_of, status, session_date::text from sms_messages where message_id = 'CL-M-failed~r1'`
			);
			expect(resend).toEqual({ resend_of: 'CL-M-failed', status: 'queued', session_date: date });
			// The resend is waiting for its report: the person is off the list until it is due.
			const { entries } = await (
				await officer.get(`/api/v1/sites/N1/call-list?date=${date}`)
			).json();
			expect(entries.map((e: { beneficiaryRef: string }) => e.beneficiaryRef)).not.toContain(
				'CL-failed'
			);
			const [audit] = await db().rows<{ detail: { resent: number; language: string } }>(
				sql`select detail from audit_log where action = 'sms.resend' order by id desc limit 1`
			);
			expect(audit.detail).toMatchObject({ resent: 1, language: 'hi' });
		});

		it('keeps the rollups equal to what the messages say', async () => {
			const kept = await rollups(db());
			await db().db.transaction(async (tx) => rebuildSmsRollups(tx as unknown as Db, TZ));
			expect(await rollups(db())).toEqual(kept);
		});
	});
});

forEachDatabase('Twilio signatures', (db) => {
	let server: TestServer;
	const authToken = 'f3c1b8e2a9d74c05b6e1d2f3a4b5c6d7';

	beforeAll(async () => {
		server = await startTestServer(db(), {
			TWILIO_AUTH_TOKEN: authToken,
			ORIGIN: 'https://cc.example.gov.in'
		});
		await seedSmallState(server, localDate(new Date(), TZ));
		await server.post('/api/v1/sms/messages', [
			message('SM6e1d3c0b9a8f47e2b5d4c3a2f1e0d9c8', 'P1')
		]);
	});
	afterAll(async () => server?.close());

	const send = (body: string, headers: Record<string, string>) =>
		fetch(`${server.url}/api/v1/sms/twilio`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
				authorization: `Basic ${Buffer.from(`gw:${server.ingestToken}`).toString('base64')}`,
				...headers
			},
			body
		});

	it('accepts a callback signed for the public URL', async () => {
		const req = httpFixture('twilio-callback-signed.http');
		const res = await send(req.body, { 'x-twilio-signature': req.headers['x-twilio-signature'] });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
		const [row] = await db().rows<{ status: string; reason_group: string }>(
			sql`select status, reason_group from sms_messages where message_id = 'SM6e1d3c0b9a8f47e2b5d4c3a2f1e0d9c8'`
		);
		expect(row).toEqual({ status: 'undelivered', reason_group: 'invalid_number' });
	});

	it('refuses a changed body, a wrong signature or none, and keeps nothing', async () => {
		const req = httpFixture('twilio-callback-signed.http');
		const changed = req.body.replace('ErrorCode=30005', 'ErrorCode=30003');
		expect(
			(await send(changed, { 'x-twilio-signature': req.headers['x-twilio-signature'] })).status
		).toBe(403);
		expect(
			(await send(req.body, { 'x-twilio-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).status
		).toBe(403);
		const none = await send(req.body, {});
		expect(none.status).toBe(403);
		expect((await none.json()).error).toMatch(/X-Twilio-Signature is required/);
	});
});

forEachDatabase('SMS failure alerts', (db) => {
	let server: TestServer;
	let clock = new Date();
	let monitor: SmsMonitor;

	beforeAll(async () => {
		// The server's own detector waits a day: this test runs each pass itself, on its clock.
		server = await startTestServer(db(), {
			SMS_FAILURE_MIN_MESSAGES: '20',
			SMS_CHECK_SECONDS: '86400'
		});
		await seedSmallState(server, localDate(new Date(), TZ));
		const s = server.services;
		monitor = await startSmsMonitor({
			config: s.config,
			handle: s.handle,
			live: s.live,
			log: s.log,
			sms: s.sms,
			leader: { whileLeader: () => undefined },
			now: () => clock
		});
	});
	afterAll(async () => {
		await monitor?.close();
		await server?.close();
	});

	const alerts = () =>
		server.services.live
			.snapshot(null, { seq: 0, epoch: 'e' }, new Date())
			.alerts.filter((a) => a.kind === 'sms_failure_spike');

	it('opens an alert for a district whose SMS fail, into the live feed, and closes it when quiet', async () => {
		const now = new Date();
		clock = now;
		await server.post(
			'/api/v1/sms/messages',
			Array.from({ length: 30 }, (_, i) => message(`SPIKE-${i}`, i % 2 ? 'P1' : 'P2'))
		);
		await server.post(
			'/api/v1/sms/reports',
			Array.from({ length: 30 }, (_, i) => ({
				messageId: `SPIKE-${i}`,
				status: i < 12 ? 'delivered' : 'undelivered',
				errorCode: i < 12 ? undefined : '30003',
				at: now.toISOString()
			}))
		);
		await monitor.evaluate();
		const open = alerts();
		expect(open).toHaveLength(1);
		expect(open[0]).toMatchObject({ districtCode: '521', status: 'open' });
		expect(open[0].summary).toBe(
			'SMS failing in Pune: 60% of 30 messages in the last 10 minutes (mostly Expired / operator timeout)'
		);
		// Nagpur sent nothing: no alert. A second pass opens nothing new.
		await monitor.evaluate();
		expect(alerts()).toHaveLength(1);
		const [row] = await db().rows<{ kind: string; status: string }>(
			sql`select kind, status from alerts where id = ${open[0].id}::uuid`
		);
		expect(row).toEqual({ kind: 'sms_failure_spike', status: 'open' });

		clock = new Date(now.getTime() + 40 * MIN);
		await monitor.evaluate();
		expect(alerts()).toEqual([]);
		const events = await db().rows<{ kind: string }>(
			sql`select kind from alert_events where alert_id = ${open[0].id}::uuid order by at`
		);
		expect(events.map((e) => e.kind)).toEqual(['opened', 'resolved']);
	});
});
