/**
 * `npm run bench`: the figures of docs/scale.md (and the SMS, map and review figures of
 * docs/sms.md, docs/map.md and docs/review.md), measured on this machine in one run,
 * printed as one JSON object on stdout (progress goes to stderr). It builds the app first:
 * the map figure is taken in Chromium on the production build. BENCH_QUICK=1 runs
 * every part at a smaller scale in about three minutes (the figures are then indicative
 * only). DATABASE_URL names the PostgreSQL server to make scratch databases on (default
 * postgres://postgres@127.0.0.1:5432/postgres); they are dropped afterwards.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import postgres from 'postgres';
import { benchRawLimits } from './copy';
import { benchFootprint } from './footprint';
import { benchIngest } from './ingest';
import { benchLatency } from './latency';
import { benchMap } from './map';
import { benchReview } from './review';
import { benchSms } from './sms';
import { log, PG_SERVER, QUICK, round } from './support';

interface Target {
	name: string;
	target: string;
	measured: number;
	unit: string;
	met: boolean;
	/** How far from the target, when missed. */
	missedBy?: string;
}

function atLeast(name: string, measured: number, target: number, unit: string): Target {
	const met = measured >= target;
	return {
		name,
		target: `>= ${target} ${unit}`,
		measured,
		unit,
		met,
		...(met
			? {}
			: {
					missedBy: `${round(target - measured)} ${unit} short (${round((100 * measured) / target)}% of target)`
				})
	};
}

function below(name: string, measured: number, target: number, unit: string): Target {
	const met = measured < target;
	return {
		name,
		target: `< ${target} ${unit}`,
		measured,
		unit,
		met,
		...(met
			? {}
			: {
					missedBy: `${round(measured - target)} ${unit} over (${round((100 * measured) / target)}% of target)`
				})
	};
}

async function machine() {
	const sql = postgres(PG_SERVER, { max: 1, onnotice: () => {} });
	const [{ server_version }] = await sql<{ server_version: string }[]>`show server_version`;
	await sql.end();
	return {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGiB: round(totalmem() / 2 ** 30, 1),
		os: `${osType()} ${release()}`,
		node: process.version,
		postgres: server_version,
		/** Other work on the machine during the run skews every figure: shown here. */
		loadAverageAtStart: loadavg().map((l) => round(l, 2))
	};
}

async function main() {
	const started = Date.now();
	const scale = QUICK
		? {
				seconds: 10,
				copyRows: 200_000,
				statementSeconds: 5,
				clients: [100, 1000],
				rounds: 6,
				doses: 200_000,
				more: 300_000,
				watchers: 50,
				watchSeconds: 10,
				smsSeconds: 10,
				smsMessages: 300_000,
				mapSeconds: 10,
				reviewDoses: 1_000_000
			}
		: {
				seconds: 60,
				copyRows: 2_000_000,
				statementSeconds: 15,
				clients: [100, 1000, 5000],
				rounds: 15,
				doses: 2_000_000,
				more: 3_000_000,
				watchers: 200,
				watchSeconds: 30,
				smsSeconds: 30,
				smsMessages: 5_000_000,
				mapSeconds: 20,
				reviewDoses: 10_000_000
			};
	const sites = 10_000;
	const about = await machine();
	log(`bench on ${about.cpus} CPUs, PostgreSQL ${about.postgres}${QUICK ? ' (quick)' : ''}`);

	const ingestPostgres = await benchIngest({
		kind: 'postgres',
		seconds: scale.seconds,
		senders: 24,
		batch: 1000,
		sites
	});
	const ingestPglite = await benchIngest({
		kind: 'pglite',
		seconds: scale.seconds,
		senders: 8,
		batch: 1000,
		sites
	});
	const raw = await benchRawLimits({
		copyRows: scale.copyRows,
		statementSeconds: scale.statementSeconds,
		sites
	});
	const latency = await benchLatency({
		clientCounts: scale.clients,
		rounds: scale.rounds,
		sites: 200
	});
	const footprint = await benchFootprint({
		sites,
		doses: scale.doses,
		moreDoses: scale.more,
		watchers: scale.watchers,
		seconds: scale.watchSeconds
	});
	const sms = await benchSms({
		kind: 'postgres',
		form: 'json',
		seconds: scale.smsSeconds,
		senders: 16,
		batch: 1000,
		sites: 2000,
		messages: scale.smsMessages
	});
	const map = await benchMap({ sites, seconds: scale.mapSeconds });
	const review = await benchReview({ doses: scale.reviewDoses, days: 30, sites: 5000 });

	const ours = ingestPostgres.dosesPerSecond;
	const at5000 = latency.find((l) => l.clients === 5000) ?? latency.at(-1)!;
	const lastRebuild = footprint.rebuild.at(-1)!;
	const result = {
		bench: 'launch-day command centre',
		when: new Date(started).toISOString(),
		quick: QUICK,
		minutes: round((Date.now() - started) / 60_000, 1),
		machine: { ...about, loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
		ingest: { postgres: ingestPostgres, pglite: ingestPglite },
		rawLimits: raw,
		ratios: {
			/** Our acknowledged doses/s over COPY's rows/s into the same table. */
			feedToCopy: round(ours / raw.copyRowsPerSecond, 3),
			/** Over the hot statement alone (same SQL, no HTTP, parsing or live state). */
			feedToHotStatement: round(ours / raw.hotStatementRowsPerSecond, 3),
			/** PGlite over PostgreSQL, both through the feed. */
			pgliteToPostgres: round(ingestPglite.dosesPerSecond / ours, 3)
		},
		latency,
		footprint,
		sms,
		map,
		review,
		targets: [
			atLeast('dose ingest on PostgreSQL, sustained', ours, 50_000, 'doses/s'),
			below(`p99 POST to delta with ${at5000.clients} clients`, at5000.p99Ms, 1500, 'ms'),
			below(
				`server RSS, ${footprint.sites} sites and ${footprint.dosesToday} doses today`,
				footprint.rssMegabytes,
				400,
				'MB'
			),
			below(
				`live state rebuild from ${lastRebuild.doseRows} dose rows`,
				lastRebuild.rebuildMs,
				10_000,
				'ms'
			),
			atLeast(
				'SMS delivery reports on PostgreSQL, sustained',
				sms.reportsPerSecond,
				5000,
				'reports/s'
			),
			below(
				`review of ${review.days} days over ${review.doses} doses, p95 page load`,
				review.pageLoadMs.p95,
				1000,
				'ms'
			)
		]
	};
	const text = JSON.stringify(result, null, 2);
	mkdirSync('bench/results', { recursive: true });
	writeFileSync(`bench/results/${result.when.replace(/[:.]/g, '-')}.json`, text + '\n');
	console.log(text);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	}
);
