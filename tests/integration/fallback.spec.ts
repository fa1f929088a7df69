/**
 * Switching sites to their manual fallback and back, and bringing paper records in, against
 * the real HTTP API, Socket.IO and database: who may switch, what the audit log holds, what
 * every screen is sent, and that a paper register lands once, in its own hour.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import { listAudit } from '../../src/lib/server/db/queries/audit';
import type {
	AlertView,
	BackfillAnswer,
	BackfillReport,
	FallbackSummary,
	SwitchAnswer
} from '../../src/lib/shared/fallback';
import { localDate, localParts } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { connectClient, seedSmallState, startTestServer, until, type TestServer } from './server';

const TZ = 'Asia/Kolkata';
const PASSWORD = 'correct horse battery';
const PUNE = '521';
const NAGPUR = '505';

let serial = 0;

async function person(
	server: TestServer,
	role: 'state_officer' | 'district_officer' | 'secretary' | 'helpdesk',
	districts: string[] = []
): Promise<string> {
	const username = `${role.replace('_', '-')}-${++serial}`;
	const db = server.services.handle.db;
	await createUserCommand(db, { username, role, districts, password: PASSWORD });
	const result = await signIn(
		db,
		{ username, password: PASSWORD, ip: '127.0.0.1', userAgent: 'vitest' },
		new FailureLimiter()
	);
	if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
	return `cc_session=${result.session.cookieValue}`;
}

/** A request as a browser page (cookie + Origin) or a machine (bearer token) sends it. */
async function call(
	server: TestServer,
	method: 'GET' | 'POST',
	path: string,
	as: { cookie?: string; token?: string },
	body?: unknown,
	contentType = 'application/json'
) {
	const headers: Record<string, string> = {};
	if (as.cookie) {
		headers.cookie = as.cookie;
		headers.origin = server.url;
	}
	if (as.token) headers.authorization = `Bearer ${as.token}`;
	if (body !== undefined) headers['content-type'] = contentType;
	const res = await fetch(server.url + path, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await res.text();
	let json: unknown = null;
	try {
		json = JSON.parse(text);
	} catch {
		// Not JSON (an empty answer): the status says enough.
	}
	return { status: res.status, json: json as Record<string, unknown> };
}

const rows = async <T>(server: TestServer, query: ReturnType<typeof sql>) =>
	server.services.handle.rows<T>(query);

forEachDatabase('manual fallback over the API', (db) => {
	let server: TestServer;
	let officer: string;
	let puneOfficer: string;
	let nagpurOfficer: string;
	let secretary: string;
	let helpdesk: string;
	const today = localDate(new Date(), TZ);

	beforeAll(async () => {
		// A short start-up grace: the seeded sessions open at midnight, and N1 never doses.
		server = await startTestServer(db(), { STARTUP_GRACE_MINUTES: '1' });
		await seedSmallState(server, today);
		officer = await person(server, 'state_officer');
		puneOfficer = await person(server, 'district_officer', [PUNE]);
		nagpurOfficer = await person(server, 'district_officer', [NAGPUR]);
		secretary = await person(server, 'secretary');
		helpdesk = await person(server, 'helpdesk');
	});
	afterAll(async () => server?.close());

	describe('switching a site', () => {
		it('refuses those who may not switch, and a district officer outside its districts', async () => {
			const body = { mode: 'manual', reason: 'app crashed' };
			for (const as of [secretary, helpdesk, nagpurOfficer]) {
				const res = await call(server, 'POST', '/api/v1/sites/P1/mode', { cookie: as }, body);
				expect(res.status).toBe(403);
			}
			const token = await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ token: server.ingestToken },
				body
			);
			expect(token.status).toBe(403);
			const nobody = await call(server, 'POST', '/api/v1/sites/P1/mode', {}, body);
			expect(nobody.status).toBe(401);
			expect(server.services.live.siteView('P1')?.status).not.toBe('manual');
		});

		it('needs a reason and a known mode; an unknown site is a 404', async () => {
			const noReason = await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ cookie: officer },
				{
					mode: 'manual',
					reason: '  '
				}
			);
			expect(noReason.status).toBe(400);
			expect(noReason.json.error).toMatch(/reason: required/);
			const badMode = await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ cookie: officer },
				{
					mode: 'paper',
					reason: 'x'
				}
			);
			expect(badMode.status).toBe(400);
			const unknown = await call(
				server,
				'POST',
				'/api/v1/sites/NOPE/mode',
				{ cookie: officer },
				{
					mode: 'manual',
					reason: 'x'
				}
			);
			expect(unknown.status).toBe(404);
		});

		it('switches to manual in one recorded action that every screen sees within 2 s', async () => {
			const client = connectClient(server.url, { token: server.readToken });
			await until(() => client.snapshots[0]);
			const posted = Date.now();
			const res = await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ cookie: puneOfficer },
				{
					mode: 'manual',
					reason: 'tablet will not start',
					reasonCode: 'device'
				}
			);
			expect(res.status).toBe(200);
			const answer = res.json as unknown as SwitchAnswer;
			expect(answer).toMatchObject({ mode: 'manual', changed: 1, unchanged: 0, notifications: 1 });
			expect(answer.sites[0]).toMatchObject({
				code: 'P1',
				from: 'online',
				to: 'manual',
				changed: true
			});

			await until(
				() =>
					client.deltas.find((d) => d.sites?.some((s) => s.code === 'P1' && s.status === 'manual')),
				2000
			);
			expect(Date.now() - posted).toBeLessThan(2000);
			client.socket.close();

			const audit = (await listAudit(db().db, { limit: 20, action: 'site.mode' })).filter(
				(a) => a.target === 'P1'
			);
			expect(audit).toHaveLength(1);
			expect(audit[0].actor).toMatch(/^district-officer-/);
			expect(audit[0].ip).toBeTruthy();
			expect(audit[0].detail).toMatchObject({
				from: 'online',
				to: 'manual',
				reasonCode: 'device',
				reason: 'tablet will not start',
				districtCode: PUNE
			});

			// The site in-charge is told (the log notifier in tests), and the outcome recorded.
			await server.services.fallback.settled();
			const summary = (await call(server, 'GET', '/api/v1/fallback', { cookie: officer }))
				.json as unknown as FallbackSummary;
			const note = summary.notifications.find((n) => n.siteCode === 'P1')!;
			expect(note).toMatchObject({ status: 'sent', channel: 'log', attempts: 1, error: null });
			expect(note.body).toMatch(
				/P1\) switch to PAPER now \(Device broken, lost or out of charge: tablet will not start\)/
			);
			expect(summary.episodes.find((e) => e.siteCode === 'P1')).toMatchObject({
				stage: 'manual',
				manualBy: audit[0].actor,
				reasonCode: 'device'
			});
			expect(summary.districts.find((d) => d.code === PUNE)).toMatchObject({
				sites: 3,
				manual: 1,
				online: 2
			});
		});

		it('records nothing for a site already in that mode', async () => {
			const res = await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ cookie: officer },
				{
					mode: 'manual',
					reason: 'again'
				}
			);
			expect(res.json).toMatchObject({ changed: 0, unchanged: 1, notifications: 0 });
			const audit = (await listAudit(db().db, { limit: 50, action: 'site.mode' })).filter(
				(a) => a.target === 'P1'
			);
			expect(audit).toHaveLength(1);
		});

		it('switches back online: backfilling, with the register count when given', async () => {
			const res = await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ cookie: officer },
				{
					mode: 'online',
					reason: 'app restarted',
					reasonCode: 'recovered',
					registerCount: 3
				}
			);
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ changed: 1 });
			// Back online with no dose yet: one stall window for the first dose.
			expect(server.services.live.siteView('P1')?.status).toBe('idle');
			const summary = (await call(server, 'GET', '/api/v1/fallback', { cookie: officer }))
				.json as unknown as FallbackSummary;
			const episode = summary.episodes.find((e) => e.siteCode === 'P1')!;
			expect(episode).toMatchObject({
				stage: 'backfilling',
				registerCount: 3,
				accounted: 0,
				expected: 3
			});
			expect(episode.periods).toHaveLength(1);
			expect(episode.periods[0].to).not.toBeNull();
			const audit = (await listAudit(db().db, { limit: 50, action: 'site.mode' })).filter(
				(a) => a.target === 'P1'
			);
			expect(audit.map((a) => (a.detail as { to: string }).to)).toEqual(['online', 'manual']);
		});
	});

	describe('switching many sites at once', () => {
		it('switches every site of a district, one audit entry per site', async () => {
			const refused = await call(
				server,
				'POST',
				'/api/v1/sites/mode',
				{ cookie: nagpurOfficer },
				{
					mode: 'manual',
					reason: 'district-wide network outage',
					reasonCode: 'connectivity',
					districtCode: PUNE
				}
			);
			expect(refused.status).toBe(403);
			const before = (await listAudit(db().db, { limit: 100, action: 'site.mode' })).length;
			const res = await call(
				server,
				'POST',
				'/api/v1/sites/mode',
				{ cookie: puneOfficer },
				{
					mode: 'manual',
					reason: 'district-wide network outage',
					reasonCode: 'connectivity',
					districtCode: PUNE
				}
			);
			expect(res.status).toBe(200);
			const answer = res.json as unknown as SwitchAnswer;
			expect(answer.changed).toBe(3);
			expect(answer.sites.map((s) => s.code).sort()).toEqual(['P1', 'P2', 'P3']);
			for (const code of ['P1', 'P2', 'P3'])
				expect(server.services.live.siteView(code)?.status).toBe('manual');
			expect(server.services.live.siteView('N1')?.status).not.toBe('manual');
			const audit = await listAudit(db().db, { limit: 100, action: 'site.mode' });
			const fresh = audit.slice(0, audit.length - before);
			expect(fresh.map((a) => a.target).sort()).toEqual(['P1', 'P2', 'P3']);
			const batches = new Set(fresh.map((a) => (a.detail as { batch: string }).batch));
			expect(batches.size).toBe(1);
		});

		it('refuses a chosen set that reaches outside the caller’s districts', async () => {
			const res = await call(
				server,
				'POST',
				'/api/v1/sites/mode',
				{ cookie: puneOfficer },
				{
					mode: 'online',
					reason: 'network back',
					siteCodes: ['P2', 'N1']
				}
			);
			expect(res.status).toBe(403);
			expect(server.services.live.siteView('P2')?.status).toBe('manual');
			const both = await call(
				server,
				'POST',
				'/api/v1/sites/mode',
				{ cookie: officer },
				{
					mode: 'online',
					reason: 'network back',
					siteCodes: ['P2', 'P3']
				}
			);
			expect(both.json).toMatchObject({ changed: 2 });
		});
	});

	describe('paper records back in', () => {
		const hourAgo = (h: number, minute = 10) => {
			const t = new Date(Date.now() - h * 3_600_000);
			t.setUTCMinutes(minute, 0, 0);
			return t;
		};
		const local = (t: Date) => {
			const p = localParts(t, TZ);
			const pad = (n: number) => String(n).padStart(2, '0');
			return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
		};

		it('counts repeats of live doses once, reports bad rows by line, and lands rows in their hour', async () => {
			// Three doses recorded live at P1 before the app stopped.
			const live = [0, 1, 2].map((i) => ({
				id: `live-${i}`,
				siteCode: 'P1',
				occurredAt: hourAgo(3, 5 + i).toISOString(),
				vaccine: 'COVISHIELD',
				dose: 1,
				beneficiaryRef: `BEN-${i}`
			}));
			expect((await server.post('/api/v1/doses', live)).status).toBe(200);
			const totalBefore = server.services.live.totals(null).dosesToday;

			const csv = [
				'beneficiaryRef,occurredAt,vaccine,dose,vaccinatorRef',
				// Already held live (same beneficiary, dose and day; another time): duplicates.
				`BEN-0,${local(hourAgo(3, 40))},COVISHIELD,1,VAC-1`,
				`BEN-1,${hourAgo(3, 41).toISOString()},COVISHIELD,1,VAC-1`,
				// New paper doses, in two hours.
				`BEN-10,${local(hourAgo(2, 15))},COVISHIELD,1,VAC-1`,
				`BEN-11,${local(hourAgo(2, 20))},COVISHIELD,1,VAC-1`,
				`BEN-12,${local(hourAgo(1, 5))},COVISHIELD,1,VAC-2`,
				// Twice in the file: the second is a duplicate.
				`BEN-12,${local(hourAgo(1, 6))},COVISHIELD,1,VAC-2`,
				// A second dose of a beneficiary held with dose 1: a different dose.
				`BEN-2,${local(hourAgo(1, 30))},COVISHIELD,2,VAC-2`,
				// Bad rows.
				`BEN-13,not a time,COVISHIELD,1,VAC-2`,
				`,${local(hourAgo(1, 31))},COVISHIELD,0,VAC-2`,
				''
			].join('\n');

			// The preview answers the same and writes nothing.
			const countPaper = async () =>
				Number(
					(
						await rows<{ n: number }>(
							server,
							sql`select count(*)::int as n from dose_events where source = 'backfill' and site_code = 'P1'`
						)
					)[0].n
				);
			const preview = await call(
				server,
				'POST',
				'/api/v1/sites/P1/backfill?dryRun=1',
				{ cookie: puneOfficer },
				csv,
				'text/csv'
			);
			expect(preview.status).toBe(200);
			expect(preview.json).toMatchObject({
				accepted: 4,
				duplicates: 3,
				dryRun: true,
				uploadId: null,
				duplicateLines: [2, 3, 7]
			});
			expect(await countPaper()).toBe(0);

			const res = await call(
				server,
				'POST',
				'/api/v1/sites/P1/backfill?filename=register-p1.csv',
				{ cookie: puneOfficer },
				csv,
				'text/csv; charset=utf-8'
			);
			expect(res.status).toBe(200);
			const answer = res.json as unknown as BackfillAnswer;
			expect(answer.accepted).toBe(4);
			expect(answer.duplicates).toBe(3);
			expect(answer.rejected).toEqual([
				{ line: 9, error: expect.stringMatching(/^occurredAt: must be a date and time/) },
				{
					line: 10,
					error: 'beneficiaryRef: required; dose: must be an integer from 1 to 10, got "0"'
				}
			]);
			expect(answer.uploadId).toBeTruthy();

			// Accepted rows are in their original local hours, by SQL over the raw rows.
			const byHour = await rows<{ hour: string; n: number }>(
				server,
				sql`select to_char(occurred_at at time zone ${TZ}, 'YYYY-MM-DD HH24') as hour, count(*)::int as n
					from dose_events where source = 'backfill' and site_code = 'P1'
					group by 1 order by 1`
			);
			const hourOf = (t: Date) => local(t).slice(0, 13);
			const expected = new Map<string, number>();
			for (const t of [hourAgo(2, 15), hourAgo(2, 20), hourAgo(1, 5), hourAgo(1, 30)])
				expected.set(hourOf(t), (expected.get(hourOf(t)) ?? 0) + 1);
			expect(byHour.map((r) => [r.hour, Number(r.n)])).toEqual([...expected]);
			// Once each: no beneficiary holds the same dose twice on a day.
			const twice = await rows<{ n: number }>(
				server,
				sql`select count(*)::int as n from (
					select beneficiary_ref, dose, (occurred_at at time zone ${TZ})::date
					from dose_events where status = 'completed'
					group by 1, 2, 3 having count(*) > 1) t`
			);
			expect(Number(twice[0].n)).toBe(0);
			// The live picture counts the day's paper doses, as the raw rows do.
			const todays = [hourAgo(2, 15), hourAgo(2, 20), hourAgo(1, 5), hourAgo(1, 30)].filter(
				(t) => localDate(t, TZ) === server.services.live.day
			).length;
			expect(server.services.live.totals(null).dosesToday).toBe(totalBefore + todays);

			// The reconciliation report is kept: who, when, and the rejected rows as sent.
			const report = (
				await call(server, 'GET', `/api/v1/backfill/${answer.uploadId}`, { cookie: officer })
			).json as unknown as BackfillReport;
			expect(report).toMatchObject({
				siteCode: 'P1',
				filename: 'register-p1.csv',
				rows: 9,
				accepted: 4,
				duplicates: 3,
				rejected: 2,
				duplicateLines: [2, 3, 7]
			});
			expect(report.actor).toMatch(/^district-officer-/);
			expect(report.rejectedRows.map((r) => r.line)).toEqual([9, 10]);
			expect(report.rejectedRows[0].raw).toBe(`BEN-13,not a time,COVISHIELD,1,VAC-2`);
			const audit = await listAudit(db().db, { limit: 5, action: 'site.backfill' });
			expect(audit[0].detail).toMatchObject({
				upload: answer.uploadId,
				accepted: 4,
				duplicates: 3,
				rejected: 2
			});

			// The same register again (by the ingest token): nothing new.
			const again = await call(
				server,
				'POST',
				'/api/v1/sites/P1/backfill',
				{ token: server.ingestToken },
				csv,
				'text/csv'
			);
			expect(again.json).toMatchObject({ accepted: 0, duplicates: 7 });
			expect(await countPaper()).toBe(4);
			const uploads = (await call(server, 'GET', '/api/v1/sites/P1/backfill', { cookie: officer }))
				.json.uploads as unknown[];
			expect(uploads).toHaveLength(2);
		});

		it('refuses a body that is not a register, and those who may not backfill', async () => {
			const json = await call(
				server,
				'POST',
				'/api/v1/sites/P1/backfill',
				{ cookie: officer },
				'[]'
			);
			expect(json.status).toBe(400);
			const noHeader = await call(
				server,
				'POST',
				'/api/v1/sites/P1/backfill',
				{ cookie: officer },
				'BEN-1,2021-01-16 10:00,X,1\n',
				'text/csv'
			);
			expect(noHeader.status).toBe(400);
			expect(noHeader.json.error).toMatch(/must name the columns/);
			for (const as of [secretary, helpdesk, nagpurOfficer]) {
				const res = await call(
					server,
					'POST',
					'/api/v1/sites/P1/backfill',
					{ cookie: as },
					'beneficiaryRef,occurredAt,vaccine,dose\n',
					'text/csv'
				);
				expect(res.status).toBe(403);
			}
		});

		it('reconciles only once the paper doses in the record match the register', async () => {
			// The register of P1's fallback: 3 reported at the switch back; 6 paper doses are in
			// the record (4 accepted, 2 already held live).
			const summary = async () =>
				(await call(server, 'GET', '/api/v1/fallback', { cookie: officer }))
					.json as unknown as FallbackSummary;
			const p1 = (s: FallbackSummary) =>
				s.episodes.find((e) => e.siteCode === 'P1' && e.stage !== 'reconciled');
			expect(p1(await summary())).toMatchObject({ stage: 'manual', accounted: 6 });

			// P1 was switched to paper again with its district: reconciling waits for the switch back.
			const early = await call(
				server,
				'POST',
				'/api/v1/sites/P1/reconcile',
				{ cookie: officer },
				{
					registerCount: 6
				}
			);
			expect(early.status).toBe(409);
			expect(early.json.error).toMatch(/still on paper/);
			await call(
				server,
				'POST',
				'/api/v1/sites/P1/mode',
				{ cookie: officer },
				{
					mode: 'online',
					reason: 'network back',
					reasonCode: 'recovered'
				}
			);
			const wrong = await call(
				server,
				'POST',
				'/api/v1/sites/P1/reconcile',
				{ cookie: officer },
				{
					registerCount: 7
				}
			);
			expect(wrong.status).toBe(409);
			expect(wrong.json.error).toMatch(/register counts 7 paper doses but 6 are in the record/);
			expect(
				(
					await call(
						server,
						'POST',
						'/api/v1/sites/P1/register',
						{ cookie: officer },
						{ registerCount: 7 }
					)
				).status
			).toBe(200);
			expect(p1(await summary())).toMatchObject({ registerCount: 7, expected: 1 });
			const refused = await call(
				server,
				'POST',
				'/api/v1/sites/P1/reconcile',
				{ cookie: helpdesk },
				{
					registerCount: 6
				}
			);
			expect(refused.status).toBe(403);

			const ok = await call(
				server,
				'POST',
				'/api/v1/sites/P1/reconcile',
				{ cookie: puneOfficer },
				{
					registerCount: 6
				}
			);
			expect(ok.status).toBe(200);
			expect(ok.json).toMatchObject({
				stage: 'reconciled',
				registerCount: 6,
				accounted: 6,
				expected: 0
			});
			const after = await summary();
			expect(p1(after)).toBeUndefined();
			expect(after.districts.find((d) => d.code === PUNE)).toMatchObject({ reconciled: 1 });
			const audit = await listAudit(db().db, { limit: 5, action: 'site.reconcile' });
			expect(audit[0]).toMatchObject({ target: 'P1' });
		});
	});

	describe('alerts', () => {
		it('acknowledges, assigns and notes an alert, keeping its whole life; closes it on the switch', async () => {
			// N1 stalls: a session open since midnight with no dose, past the start-up grace.
			const detector = server.services.fallback.detector;
			await detector.pass();
			const list = async (as: string) =>
				(await call(server, 'GET', '/api/v1/alerts', { cookie: as })).json as unknown as {
					alerts: AlertView[];
					assignees: { username: string }[];
				};
			const n1 = (await list(officer)).alerts.find(
				(a) => a.siteCode === 'N1' && a.status !== 'resolved'
			);
			expect(n1).toMatchObject({ kind: 'site_stalled', status: 'open', districtCode: NAGPUR });
			expect(n1!.events.map((e) => e.kind)).toEqual(['opened']);
			// A district officer sees only its districts' alerts.
			expect((await list(puneOfficer)).alerts.some((a) => a.id === n1!.id)).toBe(false);

			const forbidden = await call(server, 'POST', `/api/v1/alerts/${n1!.id}/acknowledge`, {
				cookie: puneOfficer
			});
			expect(forbidden.status).toBe(403);
			const ack = await call(server, 'POST', `/api/v1/alerts/${n1!.id}/acknowledge`, {
				cookie: nagpurOfficer
			});
			expect(ack.status).toBe(200);
			expect(ack.json).toMatchObject({ status: 'acknowledged' });
			expect(server.services.live.alertView(n1!.id)?.status).toBe('acknowledged');
			const acked = await listAudit(db().db, { limit: 5, action: 'alert.acknowledge' });
			expect(acked[0]).toMatchObject({
				target: n1!.id,
				actor: expect.stringMatching(/^district-officer-/)
			});

			// Officers and the help desk may be handed an alert; the secretary reviews only.
			const assignees = (await list(officer)).assignees.map((a) => a.username);
			expect(assignees.some((u) => u.startsWith('district-officer-'))).toBe(true);
			expect(assignees.some((u) => u.startsWith('helpdesk-'))).toBe(true);
			expect(assignees.some((u) => u.startsWith('secretary-'))).toBe(false);
			const assigned = await call(
				server,
				'POST',
				`/api/v1/alerts/${n1!.id}/assign`,
				{ cookie: officer },
				{
					assignee: 'district-officer-3'
				}
			);
			expect(assigned.json).toMatchObject({ assignee: 'district-officer-3' });
			const audited = await listAudit(db().db, { limit: 5, action: 'alert.assign' });
			expect(audited[0].detail).toMatchObject({ assignee: 'district-officer-3' });
			const noted = await call(
				server,
				'POST',
				`/api/v1/alerts/${n1!.id}/notes`,
				{ cookie: officer },
				{
					text: 'Phoned the MO: tablet battery flat, charging'
				}
			);
			expect(noted.status).toBe(200);
			const empty = await call(
				server,
				'POST',
				`/api/v1/alerts/${n1!.id}/notes`,
				{ cookie: officer },
				{ text: '' }
			);
			expect(empty.status).toBe(400);

			// Switching the site to paper closes its stall alert; the life says so.
			await call(
				server,
				'POST',
				'/api/v1/sites/N1/mode',
				{ cookie: officer },
				{
					mode: 'manual',
					reason: 'tablet battery flat',
					reasonCode: 'device'
				}
			);
			expect(server.services.live.alertView(n1!.id)).toBeUndefined();
			const life = (await call(server, 'GET', `/api/v1/alerts/${n1!.id}`, { cookie: officer }))
				.json as unknown as AlertView;
			expect(life.status).toBe('resolved');
			expect(life.acknowledgedBy).toMatch(/^district-officer-/);
			expect(life.events.map((e) => [e.kind, e.text])).toEqual([
				[
					'opened',
					expect.stringMatching(/^Site N1 \(N1\) stalled: no dose since the session opened/)
				],
				['acknowledged', null],
				['assigned', 'district-officer-3'],
				['note', 'Phoned the MO: tablet battery flat, charging'],
				['resolved', 'switched to manual fallback']
			]);
			// While on paper, no stall alert opens again.
			await detector.pass();
			expect(
				(await list(officer)).alerts.filter((a) => a.siteCode === 'N1' && a.status !== 'resolved')
			).toEqual([]);
		});
	});
});
