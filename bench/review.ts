/**
 * The progress review over a month of history: `doses` completed doses (10 million by
 * default) over `days` days at `sites` sites in 36 districts, with sessions, SMS, targets,
 * manual periods and complaints, generated in PostgreSQL with generate_series. Then:
 * how long the day rollups take to build from the raw rows (once, after the upgrade), and
 * how long a review of the whole range takes: the page's load (readReview) and the API's
 * rows (readReviewRows), state-wide and for one district. For comparison, the same
 * per-district-per-day dose counts summed from the per-minute rollups and counted over the
 * raw rows: why the review keeps day rollups.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../src/lib/server/db/client';
import { rebuildReviewRollups } from '../src/lib/server/db/queries/review';
import { readReview, readReviewRows } from '../src/lib/server/review/read';
import { addDays, localDate, zonedTime } from '../src/lib/shared/time';
import { freshPostgres, log, percentile, round, TZ } from './support';

export interface ReviewBenchOptions {
	/** Completed doses over the range (10 million for the documented figure). */
	doses: number;
	/** Days of history, ending today (30). */
	days: number;
	/** Vaccination sites, spread over 36 districts. */
	sites: number;
	/** SMS messages per dose (appointment messages; 0.5 by default). */
	smsPerDose?: number;
	/** Timed reads of each kind, after one untimed warm-up. */
	reads?: number;
}

interface Timing {
	p50: number;
	p95: number;
	max: number;
}

export interface ReviewBenchResult {
	database: 'postgres';
	doses: number;
	smsMessages: number;
	days: number;
	sites: number;
	districts: number;
	/** Generating the raw rows and the per-minute rollups (not a product figure). */
	generateSeconds: number;
	/** Building the day rollups from the raw rows (done once, after the upgrade). */
	dayRollupBuildSeconds: number;
	dayRollupRows: { doses: number; sms: number };
	/** The review page's whole load for the range, every district (rows, summaries, charts). */
	pageLoadMs: Timing;
	/** GET /api/v1/review's rows for the range, every district. */
	apiRowsMs: Timing;
	/** The page's load for one district (a district officer). */
	oneDistrictPageLoadMs: Timing;
	/** Doses per district and day over the range, summed from the per-minute rollups instead. */
	fromMinuteRollupsMs: number;
	minuteRollupRows: number;
	/** Doses per district and day over the range, counted over the raw rows instead. */
	fromRawRowsMs: number;
}

async function timed<T>(run: () => Promise<T>): Promise<number> {
	const started = performance.now();
	await run();
	return performance.now() - started;
}

async function repeat(reads: number, run: () => Promise<unknown>): Promise<Timing> {
	await run(); // warm-up: plans and caches
	const times: number[] = [];
	for (let i = 0; i < reads; i++) times.push(await timed(run));
	times.sort((a, b) => a - b);
	return {
		p50: round(percentile(times, 50), 1),
		p95: round(percentile(times, 95), 1),
		max: round(times.at(-1)!, 1)
	};
}

/** Raw rows as the feeds would have left them, written by the database itself. */
async function generate(
	handle: DbHandle,
	opts: Required<ReviewBenchOptions>,
	range: { from: string; to: string }
): Promise<number> {
	const { doses, days, sites } = opts;
	const run = (query: ReturnType<typeof sql>) => handle.db.execute(query);
	// Doses from 09:00 local on the first day, in an 8-hour working day.
	const start = zonedTime(range.from, '09:00', TZ).toISOString();
	// Each site gives doses every day (the day is g % days, the site changes every `days` rows).
	const site = (g: string) => sql.raw(`'BS' || lpad(((${g} / ${days}) % ${sites})::text, 5, '0')`);

	await run(sql`
		insert into districts (code, name, state)
		select 'BD' || lpad(g::text, 2, '0'), 'District ' || g, 'Bench'
		from generate_series(1, 36) g`);
	await run(sql`
		insert into sites (code, name, district_code)
		select 'BS' || lpad(g::text, 5, '0'), 'Site ' || g, 'BD' || lpad((1 + g % 36)::text, 2, '0')
		from generate_series(0, ${sites - 1}) g`);
	await run(sql`
		insert into sessions (id, site_code, date, capacity, starts_at, ends_at)
		select 'S-' || s.code || '-' || d::date, s.code, d::date, 400,
			(d::date::timestamp + interval '9 hours') at time zone ${TZ},
			(d::date::timestamp + interval '17 hours') at time zone ${TZ}
		from sites s, generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d`);
	await run(sql`
		insert into district_targets (district_code, date, target, registered)
		select ds.code, d::date, ${Math.round(doses / days / 36)}, ${Math.round((doses / 36) * 3)}
		from districts ds, generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d`);

	// In chunks, so one statement never holds millions of rows in flight.
	const chunk = 1_000_000;
	for (let first = 1; first <= doses; first += chunk) {
		const last = Math.min(doses, first + chunk - 1);
		await run(sql`
			insert into dose_events
				(id, site_code, occurred_at, vaccine, dose, beneficiary_ref, source, status)
			select 'D' || g, ${site('g')},
				${start}::timestamptz + ((g % ${days}) * interval '1 day')
					+ ((g * 7919) % 28800) * interval '1 second',
				-- A site gives one vaccine (its sessions' vaccine); first and second doses.
				case when ((g / ${days}) % ${sites}) % 3 = 0 then 'COVAXIN' else 'COVISHIELD' end,
				1 + ((g / 13) % 5 = 0)::int,
				'B' || g,
				case when g % 20 = 0 then 'backfill' else 'live' end,
				case when g % 500 = 0 then 'entered_in_error' else 'completed' end
			from generate_series(${first}::bigint, ${last}::bigint) g`);
		log(`review bench: ${last.toLocaleString('en-IN')} doses generated`);
	}
	await run(sql`
		insert into dose_rollups (site_code, minute, doses)
		select site_code, date_trunc('minute', occurred_at), count(*)::int
		from dose_events where status = 'completed' group by 1, 2`);

	const messages = Math.round(doses * opts.smsPerDose);
	for (let first = 1; first <= messages; first += chunk) {
		const last = Math.min(messages, first + chunk - 1);
		await run(sql`
			insert into sms_messages (message_id, beneficiary_ref, site_code, kind, sent_at, status)
			select 'M' || g, 'B' || g, ${site('g')}, 'appointment',
				${start}::timestamptz + ((g % ${days}) * interval '1 day') - interval '2 hours',
				case when g % 7 = 0 then 'failed' else 'delivered' end
			from generate_series(${first}::bigint, ${last}::bigint) g`);
	}
	await run(sql`
		insert into fallback_episodes
			(site_code, district_code, stage, manual_at, manual_by, reason_code, reason, periods)
		select s.code, s.district_code, 'reconciled', t, 'bench', 'other', 'bench',
			jsonb_build_array(jsonb_build_object('from', t, 'to', t + interval '90 minutes'))
		from (select code, district_code, row_number() over (order by code) as n from sites) s,
			lateral (select ${start}::timestamptz + (s.n % ${days}) * interval '1 day' as t) at
		where s.n % 25 = 0`);
	await run(sql`
		insert into complaints (id, opened_at, channel, category, priority, status, sla_due_at,
			resolved_at, district_code, created_by)
		select 'C' || g, t, 'phone', 'otp_not_received', 'normal', 'resolved', t + interval '4 hours',
			t + interval '1 hour', 'BD' || lpad((1 + g % 36)::text, 2, '0'), 'bench'
		from generate_series(1, ${days * 500}) g,
			lateral (select ${start}::timestamptz + (g % ${days}) * interval '1 day' as t) at`);
	await run(sql`vacuum analyze`);
	return messages;
}

export async function benchReview(options: ReviewBenchOptions): Promise<ReviewBenchResult> {
	const opts: Required<ReviewBenchOptions> = { smsPerDose: 0.5, reads: 20, ...options };
	const database = await freshPostgres();
	const handle = await database.open();
	try {
		const now = new Date();
		const to = localDate(now, TZ);
		const from = addDays(to, -(opts.days - 1));
		log(`review bench: ${opts.doses.toLocaleString('en-IN')} doses over ${opts.days} days`);

		const generating = performance.now();
		const messages = await generate(handle, opts, { from, to });
		const generateSeconds = round((performance.now() - generating) / 1000, 1);
		log(`review bench: generated in ${generateSeconds} s; building day rollups`);

		const dayRollupBuildSeconds = round(
			(await timed(() => rebuildReviewRollups(handle.db, TZ))) / 1000,
			1
		);
		await handle.db.execute(sql`vacuum analyze dose_day_rollups, sms_day_rollups`);
		const [counts] = await handle.rows<{ doses: number; sms: number; minutes: number }>(sql`
			select (select count(*) from dose_day_rollups)::int as doses,
				(select count(*) from sms_day_rollups)::int as sms,
				(select count(*) from dose_rollups)::int as minutes`);

		const params = { from, to, districts: [] as string[] };
		const all = { all: true } as const;
		const db = handle.db;
		log('review bench: timing reads');
		const pageLoadMs = await repeat(opts.reads, () =>
			readReview(db, { params, scope: all, timeZone: TZ, now })
		);
		const apiRowsMs = await repeat(opts.reads, () =>
			readReviewRows(db, { params, scope: all, timeZone: TZ, now })
		);
		const oneDistrictPageLoadMs = await repeat(opts.reads, () =>
			readReview(db, {
				params,
				scope: { all: false, districts: ['BD07'] },
				timeZone: TZ,
				now
			})
		);

		const startAt = zonedTime(from, '00:00', TZ).toISOString();
		const endAt = zonedTime(addDays(to, 1), '00:00', TZ).toISOString();
		const fromMinuteRollupsMs = round(
			await timed(() =>
				handle.rows(sql`
					select s.district_code, (r.minute at time zone ${TZ})::date, sum(r.doses)
					from dose_rollups r join sites s on s.code = r.site_code
					where r.minute >= ${startAt}::timestamptz and r.minute < ${endAt}::timestamptz
					group by 1, 2`)
			),
			1
		);
		const fromRawRowsMs = round(
			await timed(() =>
				handle.rows(sql`
					select s.district_code, (d.occurred_at at time zone ${TZ})::date, count(*)
					from dose_events d join sites s on s.code = d.site_code
					where d.status = 'completed'
						and d.occurred_at >= ${startAt}::timestamptz and d.occurred_at < ${endAt}::timestamptz
					group by 1, 2`)
			),
			1
		);

		return {
			database: 'postgres',
			doses: opts.doses,
			smsMessages: messages,
			days: opts.days,
			sites: opts.sites,
			districts: 36,
			generateSeconds,
			dayRollupBuildSeconds,
			dayRollupRows: { doses: Number(counts.doses), sms: Number(counts.sms) },
			pageLoadMs,
			apiRowsMs,
			oneDistrictPageLoadMs,
			fromMinuteRollupsMs,
			minuteRollupRows: Number(counts.minutes),
			fromRawRowsMs
		};
	} finally {
		await handle.close();
		await database.drop();
	}
}

/** `npx tsx bench/review.ts`: one run on PostgreSQL, printed as JSON (BENCH_QUICK=1: 1 million doses). */
if (import.meta.url === `file://${process.argv[1]}`) {
	const quick = ['1', 'true', 'yes'].includes(process.env.BENCH_QUICK ?? '');
	benchReview({
		doses: Number(process.env.BENCH_DOSES ?? (quick ? 1_000_000 : 10_000_000)),
		days: 30,
		sites: Number(process.env.BENCH_SITES ?? 5000)
	})
		.then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
		.catch((err) => {
			console.error(err);
			process.exit(1);
		});
}
