import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { doseRollupsBetween } from '../../src/lib/server/db/queries/dose';
import { readLiveState } from '../../server/live/load';
import { LiveState } from '../../server/live/state';
import { seedState, siteCode } from '../support/state';
import { forEachDatabase } from './databases';

const TZ = 'Asia/Kolkata';
const newLive = () =>
	new LiveState({
		timeZone: TZ,
		thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
		simulated: false
	});

forEachDatabase('rebuilding the live state from sums', (db) => {
	beforeAll(async () => {
		await seedState(db(), 40);
		// Doses today at many minutes, a withdrawn one, and some from yesterday.
		await db().rows(sql`
			insert into dose_rollups (site_code, minute, doses)
			select 'BS' || lpad((i % 40)::text, 5, '0'),
				date_trunc('minute', now()) - (i % 300) * interval '1 minute', sum(1 + i % 3)::int
			from generate_series(1, 2000) i
			group by 1, 2`);
		await db().rows(sql`
			insert into dose_rollups (site_code, minute, doses)
			values (${siteCode(3)}, date_trunc('minute', now()) - interval '2 days', 50)
			on conflict (site_code, minute) do update set doses = dose_rollups.doses + excluded.doses`);
	});

	it('gives the same counters as adding up every rollup row', async () => {
		const now = new Date();
		const bySums = newLive();
		bySums.load((await readLiveState(db(), bySums, now)).load, now);
		const byRows = newLive();
		const { start, end } = byRows.dayBounds(now);
		const read = await readLiveState(db(), byRows, now);
		byRows.load(
			{
				...read.load,
				siteDoses: [],
				districtMinutes: [],
				rollups: await doseRollupsBetween(db().db, start, end)
			},
			now
		);
		expect(bySums.totals(null).dosesToday).toBeGreaterThan(0);
		expect(bySums.totals(null)).toEqual(byRows.totals(null));
		for (const code of byRows.districtCodes())
			expect(bySums.districtView(code)).toEqual(byRows.districtView(code));
		for (const code of byRows.siteCodes())
			expect(bySums.siteView(code)).toEqual(byRows.siteView(code));
	});
});
