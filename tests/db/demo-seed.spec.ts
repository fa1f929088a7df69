import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoSessions, seedDemo } from '../../server/demo/seed';
import { createDb, type DbHandle } from '../../src/lib/server/db/client';

const timeZone = 'Asia/Kolkata';
// 11:40 IST on launch day: sessions from 09:00 to 19:00 IST.
const now = new Date('2021-01-16T06:10:00Z');

describe('seedDemo on PGlite', () => {
	let h: DbHandle;

	beforeAll(async () => {
		h = await createDb({ dataDir: 'memory://' });
		await h.migrate();
	});

	afterAll(async () => {
		await h?.close();
	});

	const one = async <T>(query: ReturnType<typeof sql>) => (await h.rows<T>(query))[0];

	it('loads districts, sites, today’s sessions and appointments in one go', async () => {
		const result = await seedDemo(h, { now, timeZone });
		expect(result.districts).toBe(36);
		expect(result.sites).toBeGreaterThanOrEqual(290);
		expect(result.sites).toBeLessThanOrEqual(310);
		expect(result.sessions).toBe(result.sites);

		expect(await one(sql`select count(*)::int as n from districts`)).toEqual({ n: 36 });
		expect(await one(sql`select count(*)::int as n from sites`)).toEqual({ n: result.sites });
		expect(await one(sql`select count(*)::int as n from sessions`)).toEqual({ n: result.sites });
		expect(await one(sql`select value from app_meta where key = 'demo'`)).toEqual({ value: '1' });
	});

	it('stores districts with approximate geometry, population and headquarters', async () => {
		const row = await one<{
			states: string[];
			approximate: boolean;
			population: number;
			shapes: string[];
			missing: number;
		}>(sql`
			select array_agg(distinct state) as states,
				bool_and(approximate) as approximate,
				sum(population)::int as population,
				array_agg(distinct geometry->>'type') as shapes,
				count(*) filter (where hq_lat is null or hq_lon is null or geometry is null)::int as missing
			from districts`);
		expect(row.states).toEqual(['Maharashtra']);
		expect(row.approximate).toBe(true);
		expect(row.population).toBe(112_374_333);
		expect(['Polygon', 'MultiPolygon']).toEqual(expect.arrayContaining(row.shapes));
		expect(row.missing).toBe(0);
	});

	it('opens every site’s session now, rotating vaccines, with about 40 bookings each', async () => {
		const s = await one<{ dates: string[]; starts: string[]; ends: string[]; vaccines: string[] }>(
			sql`select array_agg(distinct date::text) as dates,
				array_agg(distinct to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')) as starts,
				array_agg(distinct to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')) as ends,
				array_agg(distinct vaccine order by vaccine) as vaccines
			from sessions`
		);
		expect(s.dates).toEqual(['2021-01-16']);
		expect(s.starts).toEqual(['2021-01-16T03:30']);
		expect(s.ends).toEqual(['2021-01-16T13:30']);
		expect(s.vaccines).toEqual(['COVAXIN', 'COVISHIELD']);
		const ids = await one<{ bad: number }>(
			sql`select count(*)::int as bad from sessions where id <> 'S-' || site_code || '-' || date::text`
		);
		expect(ids.bad).toBe(0);

		const a = await one<{ sites: number; min: number; max: number; slots: number }>(sql`
			select count(*)::int as sites, min(n)::int as min, max(n)::int as max,
				(select count(distinct slot)::int from appointments) as slots
			from (select site_code, count(*) as n from appointments
				where date = '2021-01-16' group by site_code) per_site`);
		const sites = await one<{ n: number }>(sql`select count(*)::int as n from sites`);
		expect(a.sites).toBe(sites.n);
		expect(a.min).toBeGreaterThanOrEqual(36);
		expect(a.max).toBeLessThanOrEqual(44);
		expect(a.slots).toBe(10);
	});

	it('does nothing once districts exist', async () => {
		const before = await one(sql`select count(*)::int as n from appointments`);
		expect(await seedDemo(h, { now, timeZone })).toEqual({ districts: 0, sites: 0, sessions: 0 });
		expect(await one(sql`select count(*)::int as n from appointments`)).toEqual(before);
	});

	it('plans another day once, keeping capacity and vaccine', async () => {
		const sites = await one<{ n: number }>(sql`select count(*)::int as n from sites`);
		const next = { date: '2021-01-17', opensAt: '09:00', timeZone, appointments: true };
		const first = await ensureDemoSessions(h, next);
		expect(first.sessions).toBe(sites.n);
		expect(first.appointments).toBeGreaterThanOrEqual(36 * sites.n);
		expect(await ensureDemoSessions(h, next)).toEqual({ sessions: 0, appointments: 0 });

		const s = await one<{ starts: string[]; changed: number }>(sql`
			select array_agg(distinct to_char(b.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')) as starts,
				count(*) filter (where a.capacity <> b.capacity or a.vaccine <> b.vaccine)::int as changed
			from sessions a join sessions b on b.site_code = a.site_code
			where a.date = '2021-01-16' and b.date = '2021-01-17'`);
		expect(s.starts).toEqual(['2021-01-17T03:30']);
		expect(s.changed).toBe(0);
	});
});
