/**
 * The progress review against the raw rows: every figure the review page, its print view
 * and GET /api/v1/review show is computed again here by SQL over dose_events,
 * sms_messages, sessions, fallback_episodes and complaints, on generated data that goes
 * through the real feeds: late paper backfills for earlier days, withdrawals
 * (entered-in-error), SMS reports before their message and final states overturned, a
 * dose either side of local midnight. Then the API: shape (JSON and CSV) and who may ask.
 */
import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { runAdmin } from '../../server/admin/run';
import { serverAdminContext } from '../../server/admin/socket';
import { mulberry32 } from '../../server/demo/sites';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import type { DbHandle } from '../../src/lib/server/db/client';
import {
	rebuildReviewRollups,
	reviewRows,
	targetsOn,
	upsertTargets
} from '../../src/lib/server/db/queries/review';
import { complaints, districts, fallbackEpisodes } from '../../src/lib/server/db/schema';
import { readReview, readReviewRows } from '../../src/lib/server/review/read';
import { reviewColumns, type ReviewRow } from '../../src/lib/shared/review';
import { addDays, localDate, zonedTime } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { startTestServer, type TestServer } from './server';

const TZ = 'Asia/Kolkata';
const PUNE = '521';
const NAGPUR = '505';
const MUMBAI = '519'; // a district with no sites: all zeros, still one row a day
const PASSWORD = 'review-test-password';
const HOUR = 3_600_000;

const siteDistrict: Record<string, string> = {
	P1: PUNE,
	P2: PUNE,
	P3: PUNE, // sessions every day, never a dose: planned, never held
	N1: NAGPUR,
	N2: NAGPUR
};

interface Dose {
	id: string;
	siteCode: string;
	occurredAt: string;
	vaccine: string;
	dose: number;
	beneficiaryRef: string;
	source?: 'live' | 'backfill';
}

/** A fixed scenario over the five local days ending today, from a seeded generator. */
function scenario(now: Date) {
	const random = mulberry32(20210116);
	const today = localDate(now, TZ);
	const days = [-4, -3, -2, -1, 0].map((i) => addDays(today, i));
	const dayStart = (d: string) => zonedTime(d, '00:00', TZ).getTime();
	/** An instant inside local day `d`, never after now. */
	const instant = (d: string) => {
		const start = dayStart(d);
		const end = Math.min(start + 24 * HOUR, now.getTime());
		return new Date(start + Math.floor(random() * Math.max(1, end - start - 1)));
	};
	const vaccines = ['COVISHIELD', 'COVAXIN'];

	const sessions = days.flatMap((d) =>
		Object.keys(siteDistrict)
			.filter((s) => !(s === 'N2' && d === days[2])) // N2 gives doses that day with no session
			.map((s, i) => ({
				sessionId: `RS-${s}-${d}`,
				siteCode: s,
				date: d,
				capacity: 100 + i * 10,
				// Every other site has no times (09:00–17:00 assumed).
				...(i % 2 === 0 ? { startsAt: `${d}T08:00:00+05:30`, endsAt: `${d}T14:00:00+05:30` } : {}),
				site: { name: `Site ${s}`, districtCode: siteDistrict[s] }
			}))
	);
	// A second session at P1 on one day: sessions are counted, not sites.
	sessions.push({ ...sessions[0], sessionId: `RS-P1-${days[3]}-b`, date: days[3] });

	let serial = 0;
	const dose = (siteCode: string, at: Date, source: 'live' | 'backfill' = 'live'): Dose => {
		serial++;
		return {
			id: `rv-${siteCode}-${serial}`,
			siteCode,
			occurredAt: at.toISOString(),
			vaccine: vaccines[Math.floor(random() * 2)],
			dose: 1 + Math.floor(random() * 2),
			beneficiaryRef: `B-${serial}`,
			source
		};
	};

	const live: Dose[] = [];
	for (const d of days) {
		for (const s of ['P1', 'P2', 'N1', 'N2']) {
			const count = s === 'N2' && d !== days[2] ? 0 : 5 + Math.floor(random() * 25);
			for (let i = 0; i < count; i++) live.push(dose(s, instant(d)));
		}
	}
	// Either side of a local midnight (which is 18:30 UTC the day before).
	const midnight = dayStart(days[2]);
	live.push(dose('N1', new Date(midnight - 1)), dose('N1', new Date(midnight)));

	// Paper registers from P2 for two earlier days, uploaded after the first review.
	const backfills: Dose[] = [];
	for (const d of [days[1], days[2]]) {
		for (let i = 0; i < 12; i++) backfills.push(dose('P2', instant(d), 'backfill'));
	}
	// N1 on paper all of days[3] with no live dose: held only once its register comes in.
	for (let i = 0; i < 4; i++) backfills.push(dose('N1', instant(days[3]), 'backfill'));

	const smsMessages = days.flatMap((d) =>
		['P1', 'P2', 'N1'].flatMap((s) =>
			Array.from({ length: 6 + Math.floor(random() * 6) }, (_, i) => ({
				messageId: `rm-${s}-${d}-${i}`,
				beneficiaryRef: `SB-${s}-${i}`,
				siteCode: s,
				kind: 'appointment',
				sentAt: instant(d).toISOString()
			}))
		)
	);
	return { today, days, sessions, live, backfills, smsMessages, dayStart, random };
}

/** Independent SQL over the raw rows, one figure at a time. */
async function rawRows(
	handle: DbHandle,
	q: { from: string; to: string; districts: string[]; timeZone: string; now: Date }
): Promise<ReviewRow[]> {
	const tz = q.timeZone;
	const list = sql`${sql.param(q.districts)}::text[]`;
	const rows = await handle.rows<Record<string, unknown>>(sql`
		with days as (
			select d::date as date
			from generate_series(${q.from}::date, ${q.to}::date, interval '1 day') d
		),
		grid as (
			select ds.code as district, days.date from districts ds, days where ds.code = any(${list})
		),
		local_doses as (
			select s.district_code as district, d.site_code,
				(d.occurred_at at time zone ${tz})::date as date
			from dose_events d join sites s on s.code = d.site_code
			where d.status = 'completed'
		),
		periods as (
			select s.district_code as district, e.site_code,
				tstzrange((p->>'from')::timestamptz,
					coalesce((p->>'to')::timestamptz, ${q.now.toISOString()}::timestamptz)) as span
			from fallback_episodes e join sites s on s.code = e.site_code,
				jsonb_array_elements(e.periods) p
		)
		select g.district, g.date::text as date,
			(select count(*) from local_doses l where l.district = g.district and l.date = g.date)::int
				as doses,
			(select t.target from district_targets t
				where t.district_code = g.district and t.date = g.date) as target,
			(select count(*) from sessions se join sites s on s.code = se.site_code
				where s.district_code = g.district and se.date = g.date)::int as sessions_planned,
			(select count(*) from sessions se join sites s on s.code = se.site_code
				where s.district_code = g.district and se.date = g.date
					and exists (select 1 from local_doses l
						where l.site_code = se.site_code and l.date = se.date))::int as sessions_held,
			(select count(*) from sms_messages m join sites s on s.code = m.site_code
				where s.district_code = g.district
					and (m.sent_at at time zone ${tz})::date = g.date)::int as sms_sent,
			(select count(*) from sms_messages m join sites s on s.code = m.site_code
				where s.district_code = g.district and m.status = 'delivered'
					and (m.sent_at at time zone ${tz})::date = g.date)::int as sms_delivered,
			(select count(distinct p.site_code) from periods p
				where p.district = g.district
					and p.span && tstzrange(g.date::timestamp at time zone ${tz},
						(g.date + 1)::timestamp at time zone ${tz}))::int as sites_went_manual,
			(select count(*) from complaints c left join sites s on s.code = c.site_code
				where coalesce(c.district_code, s.district_code) = g.district
					and (c.opened_at at time zone ${tz})::date = g.date)::int as complaints_opened,
			(select count(*) from complaints c left join sites s on s.code = c.site_code
				where coalesce(c.district_code, s.district_code) = g.district
					and (c.resolved_at at time zone ${tz})::date = g.date)::int as complaints_resolved
		from grid g
		order by g.date, g.district`);
	return rows.map((r) => ({
		district: String(r.district),
		date: String(r.date),
		doses: Number(r.doses),
		target: r.target === null ? null : Number(r.target),
		sessionsPlanned: Number(r.sessions_planned),
		sessionsHeld: Number(r.sessions_held),
		smsSent: Number(r.sms_sent),
		smsDelivered: Number(r.sms_delivered),
		sitesWentManual: Number(r.sites_went_manual),
		complaintsOpened: Number(r.complaints_opened),
		complaintsResolved: Number(r.complaints_resolved)
	}));
}

async function signInCookie(handle: DbHandle, username: string): Promise<string> {
	const result = await signIn(
		handle.db,
		{ username, password: PASSWORD, ip: '127.0.0.1', userAgent: 'vitest' },
		new FailureLimiter()
	);
	if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
	return `cc_session=${result.session.cookieValue}`;
}

forEachDatabase('progress review', (db) => {
	let server: TestServer;
	let data: ReturnType<typeof scenario>;
	const now = new Date();
	const all = [MUMBAI, NAGPUR, PUNE];

	async function post(path: string, body: unknown, contentType?: string) {
		const res = await server.post(path, body, contentType ? { contentType } : undefined);
		const text = await res.text();
		if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
		return JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
	}

	/** The page's figures (readReview) and the API's (readReviewRows) against raw SQL. */
	async function expectFiguresMatchRawRows(timeZone = TZ) {
		const handle = db();
		const params = { from: data.days[0], to: data.days[4], districts: [] };
		const expected = await rawRows(handle, {
			from: params.from,
			to: params.to,
			districts: all,
			timeZone,
			now
		});
		const page = await readReview(handle.db, { params, scope: { all: true }, timeZone, now });
		expect(page.rows).toEqual(expected);
		const api = await readReviewRows(handle.db, { params, scope: { all: true }, timeZone, now });
		expect(api).toEqual(expected);

		// Summaries by district over the range.
		for (const d of page.byDistrict) {
			const mine = expected.filter((r) => r.district === d.code);
			const sum = (k: keyof ReviewRow) => mine.reduce((a, r) => a + Number(r[k] ?? 0), 0);
			expect(d.doses, `${d.code} doses`).toBe(sum('doses'));
			expect(d.sessionsPlanned).toBe(sum('sessionsPlanned'));
			expect(d.sessionsHeld).toBe(sum('sessionsHeld'));
			expect(d.smsSent).toBe(sum('smsSent'));
			expect(d.smsDelivered).toBe(sum('smsDelivered'));
			expect(d.complaintsOpened).toBe(sum('complaintsOpened'));
			expect(d.complaintsResolved).toBe(sum('complaintsResolved'));
			const withTarget = mine.filter((r) => r.target !== null);
			expect(d.target).toBe(
				withTarget.length ? withTarget.reduce((a, r) => a + r.target!, 0) : null
			);
		}

		const start = zonedTime(params.from, '00:00', timeZone);
		const end = zonedTime(addDays(params.to, 1), '00:00', timeZone);
		const [manual] = await handle.rows<{ sites: string[]; minutes: number }>(sql`
			select coalesce(array_agg(distinct e.site_code order by e.site_code), '{}') as sites,
				coalesce(sum(extract(epoch from
					upper(tstzrange(greatest((p->>'from')::timestamptz, ${start.toISOString()}::timestamptz),
						least(coalesce((p->>'to')::timestamptz, ${now.toISOString()}::timestamptz),
							${end.toISOString()}::timestamptz)))
					- lower(tstzrange(greatest((p->>'from')::timestamptz, ${start.toISOString()}::timestamptz),
						least(coalesce((p->>'to')::timestamptz, ${now.toISOString()}::timestamptz),
							${end.toISOString()}::timestamptz)))) / 60), 0)::float8 as minutes
			from fallback_episodes e, jsonb_array_elements(e.periods) p
			where (p->>'from')::timestamptz < ${end.toISOString()}::timestamptz
				and coalesce((p->>'to')::timestamptz, ${now.toISOString()}::timestamptz)
					> ${start.toISOString()}::timestamptz`);
		expect(new Set(page.manual.map((m) => m.siteCode)).size).toBe(page.total.sitesWentManual);
		expect([...new Set(page.manual.map((m) => m.siteCode))].sort()).toEqual(manual.sites);
		expect(Math.abs(page.total.manualMinutes - Number(manual.minutes))).toBeLessThanOrEqual(
			page.manual.length // each period is rounded to the minute
		);

		const byVaccine = await handle.rows<{ vaccine: string; dose: number; doses: number }>(sql`
			select vaccine, coalesce(dose, 0)::int as dose, count(*)::int as doses
			from dose_events
			where status = 'completed'
				and (occurred_at at time zone ${timeZone})::date between ${params.from}::date
					and ${params.to}::date
			group by 1, 2 order by 1, 2`);
		expect(page.byVaccine).toEqual(
			byVaccine.map((r) => ({ vaccine: r.vaccine, dose: Number(r.dose), doses: Number(r.doses) }))
		);

		const coverage = await handle.rows<{ district: string; first: number }>(sql`
			select s.district_code as district, count(*)::int as first
			from dose_events d join sites s on s.code = d.site_code
			where d.status = 'completed' and d.dose = 1
				and (d.occurred_at at time zone ${timeZone})::date between ${params.from}::date
					and ${params.to}::date
			group by 1`);
		// Registered: the latest count given on or before the last day.
		expect(Object.fromEntries(page.byDistrict.map((d) => [d.code, d.registered]))).toEqual({
			[PUNE]: 9500,
			[NAGPUR]: 5000,
			[MUMBAI]: null
		});
		for (const d of page.byDistrict) {
			expect(d.firstDoses, `${d.code} first doses`).toBe(
				Number(coverage.find((c) => c.district === d.code)?.first ?? 0)
			);
		}

		const hours = await handle.rows<{ hour: number; doses: number }>(sql`
			select (extract(epoch from date_trunc('hour', occurred_at at time zone ${timeZone})
					at time zone ${timeZone}) * 1000)::float8 as hour, count(*)::int as doses
			from dose_events
			where status = 'completed'
				and (occurred_at at time zone ${timeZone})::date = ${page.hourly.date}::date
			group by 1`);
		const expectedHours = new Map(hours.map((h) => [Number(h.hour), Number(h.doses)]));
		expect(page.hourly.hourMs.map((ms, i) => [ms, page.hourly.doses[i]])).toEqual(
			page.hourly.hourMs.map((ms) => [ms, expectedHours.get(ms) ?? 0])
		);
		expect(page.hourly.doses.reduce((a, b) => a + b, 0)).toBe(
			[...expectedHours.values()].reduce((a, b) => a + b, 0)
		);
		return { page, expected };
	}

	beforeAll(async () => {
		data = scenario(now);
		server = await startTestServer(db());
		await db()
			.db.insert(districts)
			.values([
				{ code: PUNE, name: 'Pune', state: 'Maharashtra' },
				{ code: NAGPUR, name: 'Nagpur', state: 'Maharashtra' },
				{ code: MUMBAI, name: 'Mumbai', state: 'Maharashtra' }
			]);
		await server.services.reload();
		// The first review builds the (empty) rollups: everything after goes the incremental way.
		await readReview(db().db, {
			params: { from: data.today, to: data.today, districts: [] },
			scope: { all: true },
			timeZone: TZ,
			now
		});
		await post('/api/v1/sessions', data.sessions);
		for (let i = 0; i < data.live.length; i += 100) {
			const batch = data.live.slice(i, i + 100);
			const result = await post('/api/v1/doses', batch);
			expect(result, 'every generated dose is accepted').toMatchObject({
				accepted: batch.length,
				rejected: []
			});
		}
		// FHIR without protocolApplied: a dose whose number is not known.
		const unnumbered = [1, 2, 3].map((i) => ({
			resourceType: 'Immunization',
			identifier: [{ system: 'urn:test', value: `rv-fhir-${i}` }],
			status: 'completed',
			vaccineCode: { coding: [{ code: 'COVAXIN' }] },
			patient: { reference: `Patient/fhir-${i}` },
			occurrenceDateTime: new Date(now.getTime() - i * 1000).toISOString(),
			location: { reference: 'Location/P1' }
		}));
		expect(
			(
				await post(
					'/api/v1/doses',
					{
						resourceType: 'Bundle',
						type: 'collection',
						entry: unnumbered.map((resource) => ({ resource }))
					},
					'application/fhir+json'
				)
			).accepted
		).toBe(3);
		// Reports for some messages arrive before the messages themselves.
		const early = data.smsMessages.filter((_, i) => i % 7 === 0);
		await post(
			'/api/v1/sms/reports',
			early.map((m) => ({ messageId: m.messageId, status: 'delivered', at: m.sentAt }))
		);
		await post('/api/v1/sms/messages', data.smsMessages);
		await post(
			'/api/v1/sms/reports',
			data.smsMessages
				.filter((_, i) => i % 3 !== 0)
				.map((m, i) => ({
					messageId: m.messageId,
					status: i % 5 === 0 ? 'failed' : 'delivered',
					at: new Date(Date.parse(m.sentAt) + 60_000).toISOString()
				}))
		);
		await upsertTargets(
			db().db,
			[
				...data.days.map((d) => ({ districtCode: PUNE, date: d, target: 60 })),
				{ districtCode: NAGPUR, date: data.days[1], target: 40, registered: 5000 },
				{ districtCode: PUNE, date: data.days[0], registered: 9000 },
				{ districtCode: PUNE, date: data.days[3], registered: 9500 }
			],
			'test'
		);
		const at = (d: string, time: string) => zonedTime(d, time, TZ).toISOString();
		await db()
			.db.insert(fallbackEpisodes)
			.values([
				{
					siteCode: 'P1',
					districtCode: PUNE,
					stage: 'reconciled',
					manualAt: new Date(at(data.days[1], '10:00')),
					manualBy: 'test',
					reasonCode: 'server_down',
					reason: 'national server down',
					// Two periods, the second across midnight.
					periods: [
						{ from: at(data.days[1], '10:00'), to: at(data.days[1], '11:30') },
						{ from: at(data.days[1], '22:00'), to: at(data.days[2], '01:15') }
					]
				},
				{
					siteCode: 'N1',
					districtCode: NAGPUR,
					stage: 'manual',
					manualAt: new Date(at(data.days[3], '06:00')),
					manualBy: 'test',
					reasonCode: 'no_connectivity',
					reason: 'no network',
					periods: [{ from: at(data.days[3], '06:00'), to: null }] // still on paper
				},
				{
					siteCode: 'P2',
					districtCode: PUNE,
					stage: 'reconciled',
					manualAt: new Date(at(addDays(data.days[0], -3), '09:00')),
					manualBy: 'test',
					reasonCode: 'other',
					reason: 'before the range',
					periods: [
						{
							from: at(addDays(data.days[0], -3), '09:00'),
							to: at(addDays(data.days[0], -3), '12:00')
						}
					]
				}
			]);
		const complaint = (i: number, opened: string, resolved: string | null, where: object) => ({
			id: `rc-${i}`,
			openedAt: new Date(opened),
			channel: 'phone' as const,
			category: 'otp_not_received' as const,
			priority: 'normal' as const,
			status: resolved ? ('resolved' as const) : ('new' as const),
			slaDueAt: new Date(Date.parse(opened) + 4 * HOUR),
			resolvedAt: resolved ? new Date(resolved) : null,
			createdBy: 'test',
			...where
		});
		await db()
			.db.insert(complaints)
			.values([
				complaint(1, at(data.days[0], '09:00'), at(data.days[0], '10:00'), {
					districtCode: PUNE,
					siteCode: 'P1'
				}),
				complaint(2, at(data.days[1], '23:30'), at(data.days[2], '00:30'), {
					districtCode: NAGPUR
				}),
				complaint(3, at(data.days[2], '12:00'), null, { siteCode: 'N2' }), // district from site
				complaint(4, at(addDays(data.days[0], -1), '12:00'), at(data.days[0], '08:00'), {
					districtCode: PUNE
				})
			]);
	});

	afterAll(async () => {
		await server?.close();
	});

	it('has every figure equal to SQL over the raw rows', async () => {
		const { page } = await expectFiguresMatchRawRows();
		// The scenario is not trivially empty.
		expect(page.total.doses).toBe(data.live.length + 3);
		expect(page.byVaccine.find((v) => v.dose === 0)).toEqual({
			vaccine: 'COVAXIN',
			dose: 0,
			doses: 3
		});
		expect(page.total.sessionsPlanned).toBeGreaterThan(page.total.sessionsHeld);
		expect(page.total.smsDelivered).toBeGreaterThan(0);
		expect(page.total.sitesWentManual).toBe(2);
		expect(page.rows.filter((r) => r.district === MUMBAI)).toHaveLength(5);
	});

	it('still does after late paper backfills, withdrawals and overturned SMS reports', async () => {
		const before = await reviewRows(db().db, {
			from: data.days[0],
			to: data.days[4],
			districts: [PUNE, NAGPUR],
			timeZone: TZ,
			now
		});
		expect((await post('/api/v1/doses', data.backfills)).accepted).toBe(data.backfills.length);
		// Sent twice: nothing counts twice.
		expect((await post('/api/v1/doses', data.backfills)).duplicates).toBe(data.backfills.length);

		// Withdraw five doses by FHIR entered-in-error, saying a different vaccine than held
		// (the held row's vaccine and dose are what stop counting).
		const withdrawn = [3, 17, 40, 41, 90].map((i) => data.live[i]);
		const immunization = (id: string, status: string, site: string) => ({
			resourceType: 'Immunization',
			identifier: [{ system: 'urn:test', value: id }],
			status,
			vaccineCode: { coding: [{ code: '207' }] },
			patient: { reference: 'Patient/x' },
			occurrenceDateTime: now.toISOString(),
			location: { reference: `Location/${site}` },
			protocolApplied: [{ doseNumberPositiveInt: 3 }]
		});
		for (const d of withdrawn) {
			await post(
				'/api/v1/doses',
				immunization(d.id, 'entered-in-error', d.siteCode),
				'application/fhir+json'
			);
		}
		// Withdrawn before it arrives: the dose never counts.
		await post(
			'/api/v1/doses',
			immunization('rv-never', 'entered-in-error', 'P1'),
			'application/fhir+json'
		);
		await post('/api/v1/doses', [{ ...data.live[0], id: 'rv-never', beneficiaryRef: 'B-never' }]);

		// Delivered, then a later failure report: delivered no more. A late "sent" moves nothing.
		const flipped = data.smsMessages.filter((_, i) => i % 3 === 1).slice(0, 6);
		await post(
			'/api/v1/sms/reports',
			flipped.flatMap((m) => [
				{
					messageId: m.messageId,
					status: 'failed',
					at: new Date(Date.parse(m.sentAt) + HOUR).toISOString()
				},
				{
					messageId: m.messageId,
					status: 'sent',
					at: new Date(Date.parse(m.sentAt) + 2 * HOUR).toISOString()
				}
			])
		);

		const { page } = await expectFiguresMatchRawRows();
		expect(page.total.doses).toBe(data.live.length + 3 + data.backfills.length - withdrawn.length);
		const backfilledDay = page.rows.find((r) => r.district === PUNE && r.date === data.days[1])!;
		const wasBackfilledDay = before.find((r) => r.district === PUNE && r.date === data.days[1])!;
		expect(backfilledDay.doses).toBeGreaterThanOrEqual(wasBackfilledDay.doses + 12 - 5);
		// N1's paper day is held once its register is in.
		const n1Day = page.rows.find((r) => r.district === NAGPUR && r.date === data.days[3])!;
		expect(n1Day.sessionsHeld).toBeGreaterThan(0);
	});

	it('rebuilds the day rollups from the raw rows, for another time zone too', async () => {
		const rows = await reviewRows(db().db, {
			from: data.days[0],
			to: data.days[4],
			districts: null,
			timeZone: TZ,
			now
		});
		await rebuildReviewRollups(db().db, 'UTC');
		await expectFiguresMatchRawRows('UTC');
		await rebuildReviewRollups(db().db, TZ);
		expect(
			await reviewRows(db().db, {
				from: data.days[0],
				to: data.days[4],
				districts: null,
				timeZone: TZ,
				now
			})
		).toEqual(rows);
	});

	describe('GET /api/v1/review', () => {
		const cookies: Record<string, string> = {};
		const url = () => `${server.url}/api/v1/review?from=${data.days[0]}&to=${data.days[4]}`;
		const get = (path: string, headers: Record<string, string>) =>
			fetch(path.startsWith('http') ? path : `${server.url}${path}`, { headers });

		beforeAll(async () => {
			for (const [username, role, districts] of [
				['rv-secretary', 'secretary', []],
				['rv-state', 'state_officer', []],
				['rv-pune', 'district_officer', [PUNE]],
				['rv-helpdesk', 'helpdesk', []]
			] as const) {
				await createUserCommand(db().db, {
					username,
					role,
					districts: [...districts],
					password: PASSWORD
				});
				cookies[role] = await signInCookie(db(), username);
			}
		});

		it('answers JSON rows with exactly the contract fields', async () => {
			const res = await get(url(), { cookie: cookies.secretary });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^application\/json/);
			const rows = (await res.json()) as ReviewRow[];
			expect(rows).toHaveLength(3 * 5);
			for (const row of rows) expect(Object.keys(row)).toEqual([...reviewColumns]);
			expect(rows).toEqual(
				await rawRows(db(), {
					from: data.days[0],
					to: data.days[4],
					districts: all,
					timeZone: TZ,
					now
				})
			);
		});

		it('answers the same figures as CSV for Accept: text/csv', async () => {
			const json = (await (
				await get(url(), { cookie: cookies.state_officer })
			).json()) as ReviewRow[];
			const res = await get(url(), { cookie: cookies.state_officer, accept: 'text/csv' });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
			expect(res.headers.get('content-disposition')).toContain(
				`review-${data.days[0]}-to-${data.days[4]}.csv`
			);
			const text = await res.text();
			expect(text.split('\r\n')[0]).toBe(reviewColumns.join(','));
			const records = parse(text, { columns: true }) as Record<string, string>[];
			expect(records).toEqual(
				json.map((r) =>
					Object.fromEntries(reviewColumns.map((c) => [c, r[c] === null ? '' : String(r[c])]))
				)
			);
			// ?format=csv, for links, gives the same document.
			expect(
				await (await get(`${url()}&format=csv`, { cookie: cookies.state_officer })).text()
			).toBe(text);
		});

		it('limits a district officer to its districts', async () => {
			const own = (await (
				await get(url(), { cookie: cookies.district_officer })
			).json()) as ReviewRow[];
			expect(new Set(own.map((r) => r.district))).toEqual(new Set([PUNE]));
			const named = await get(`${url()}&district=${PUNE}`, { cookie: cookies.district_officer });
			expect(named.status).toBe(200);
			const other = await get(`${url()}&district=${NAGPUR}`, {
				cookie: cookies.district_officer
			});
			expect(other.status).toBe(403);
			const state = (await (
				await get(`${url()}&district=${NAGPUR}&district=${MUMBAI}`, { cookie: cookies.secretary })
			).json()) as ReviewRow[];
			expect(new Set(state.map((r) => r.district))).toEqual(new Set([NAGPUR, MUMBAI]));
		});

		it('refuses the help desk, machine tokens and strangers', async () => {
			expect((await get(url(), { cookie: cookies.helpdesk })).status).toBe(403);
			expect((await get(url(), { authorization: `Bearer ${server.readToken}` })).status).toBe(403);
			expect((await get(url(), { authorization: `Bearer ${server.ingestToken}` })).status).toBe(
				403
			);
			expect((await get(url(), {})).status).toBe(401);
		});

		it('says what is wrong with a bad request', async () => {
			const bad = async (query: string) => {
				const res = await get(`/api/v1/review?${query}`, { cookie: cookies.secretary });
				return { status: res.status, error: ((await res.json()) as { error: string }).error };
			};
			expect(await bad('from=2021-02-30')).toMatchObject({ status: 400, error: /from/ });
			expect(await bad('from=2021-01-20&to=2021-01-10')).toMatchObject({ status: 400 });
			expect(await bad('from=2020-01-01&to=2021-12-31')).toMatchObject({
				status: 400,
				error: /at most 366/
			});
			expect(await bad('district=999')).toMatchObject({ status: 400, error: /unknown district/ });
		});
	});

	describe('targets', () => {
		it('keeps what a partial update leaves out, and clears what it sets to null', async () => {
			const date = addDays(data.today, 10);
			await upsertTargets(
				db().db,
				[{ districtCode: MUMBAI, date, target: 100, registered: 7 }],
				'a'
			);
			await upsertTargets(db().db, [{ districtCode: MUMBAI, date, target: 120 }], 'b');
			expect(await targetsOn(db().db, { date, districts: [MUMBAI] })).toMatchObject([
				{ districtCode: MUMBAI, date, target: 120, registered: 7, updatedBy: 'b' }
			]);
			await upsertTargets(db().db, [{ districtCode: MUMBAI, date, registered: null }], 'c');
			expect(await targetsOn(db().db, { date, districts: [MUMBAI] })).toMatchObject([
				{ target: 120, registered: null }
			]);
		});

		it('imports a CSV with the admin command, all or nothing', async () => {
			const ctx = serverAdminContext(server.services);
			const date = addDays(data.today, 20);
			const good = `district,date,target,registered\n${PUNE},${date},"1,200",90000\nNagpur,${date},800,\n`;
			expect(await runAdmin(ctx, ['import-targets', 'targets.csv'], good)).toContain(
				'imported 2 district-day rows'
			);
			expect(await targetsOn(db().db, { date, districts: null })).toMatchObject([
				{ districtCode: NAGPUR, target: 800, registered: null },
				{ districtCode: PUNE, target: 1200, registered: 90000 }
			]);
			const bad = `district,date,target\n${MUMBAI},${date},5\nAtlantis,${date},5\n${PUNE},2021-13-01,x\n`;
			await expect(runAdmin(ctx, ['import-targets', 'bad.csv'], bad)).rejects.toThrow(
				/line 3: district: unknown district "Atlantis"[\s\S]*line 4: date: .*target: must be a whole number/
			);
			expect(await targetsOn(db().db, { date, districts: [MUMBAI] })).toEqual([]);
			const [audit] = await db().rows<{ n: number }>(
				sql`select count(*)::int as n from audit_log where action = 'targets.import'`
			);
			expect(audit.n).toBe(1);
		});
	});
});
