/** A state to test or measure with: districts, sites with a session open all today, tokens. */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../src/lib/server/db/client';
import { localDate, startOfLocalDay } from '../../src/lib/shared/time';
import { createTokenCommand } from '../../server/admin/commands/tokens';

const TZ = 'Asia/Kolkata';

export const siteCode = (i: number) => `BS${String(i).padStart(5, '0')}`;

/**
 * 36 districts and `sites` sites, each with a session open all of today, and tokens.
 * Returns the tokens' secrets.
 */
export async function seedState(
	handle: DbHandle,
	sites: number
): Promise<{ ingest: string; read: string }> {
	const day = localDate(new Date(), TZ);
	const start = startOfLocalDay(new Date(), TZ).toISOString();
	await handle.rows(sql`
		insert into districts (code, name, state)
		select (500 + d)::text, 'District ' || d, 'Bench' from generate_series(1, 36) d`);
	await handle.rows(sql`
		insert into sites (code, name, district_code, lat, lon)
		select 'BS' || lpad(i::text, 5, '0'), 'Site ' || i, (500 + 1 + i % 36)::text,
			18 + (i % 100) / 50.0, 73 + (i % 77) / 40.0
		from generate_series(0, ${sites - 1}::int) i`);
	await handle.rows(sql`
		insert into sessions (id, site_code, date, capacity, starts_at, ends_at)
		select 'SE-' || code, code, ${day}::date, 2400, ${start}::timestamptz,
			${start}::timestamptz + interval '1 day' - interval '1 second'
		from sites`);
	const token = async (scope: string) =>
		(await createTokenCommand(handle.db, { name: `seeded-${scope}`, scope })).split('\n').at(-1)!;
	return { ingest: await token('ingest'), read: await token('read') };
}
