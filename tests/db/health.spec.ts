import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { Ingest } from '../../server/feeds/ingest';
import { startHealthMonitor } from '../../server/health/monitor';
import { LiveState } from '../../server/live/state';
import { createLogger } from '../../server/log';
import { createMetrics } from '../../server/metrics';
import { loadConfig } from '../../src/lib/server/config';
import type { Clock } from '../../server/health/clock';
import { IncidentDetector } from '../../server/health/detector';
import { runRetention } from '../../server/health/retention';
import type { LiveChange } from '../../server/live/change';
import { insertHealthSamples } from '../../src/lib/server/db/queries/field';
import {
	healthAggregatesBetween,
	listStatusNotices,
	openHealthIncidents,
	saveProbeTarget,
	seedStatusNotices,
	updateStatusNotice
} from '../../src/lib/server/db/queries/health';
import { defaultStatusNotices } from '../../src/lib/server/health/defaults';
import { readHealthSummary, readStatusPage, readTimeline } from '../../src/lib/server/health/read';
import { percentile } from '../../src/lib/shared/health';
import { forEachDatabase } from './databases';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const t0 = Date.parse('2021-01-16T04:30:00Z'); // 10:00 IST, on a 5-minute boundary

const sample = (target: string, atMs: number, ok: boolean, latencyMs: number | null = 100) => ({
	target,
	at: new Date(atMs),
	ok,
	latencyMs,
	detail: ok ? 'HTTP 200' : 'HTTP 500, expected 200'
});

/** A clock pinned by the test. */
function pinnedClock(startMs: number): Clock & { set(ms: number): void } {
	let now = startMs;
	return {
		now: () => now,
		monotonic: () => now,
		setTimeout: () => null,
		clearTimeout: () => {},
		set: (ms) => (now = ms)
	};
}

forEachDatabase('health retention', (db) => {
	beforeEach(async () => {
		await db().db.execute(sql`delete from health_samples`);
		await db().db.execute(sql`delete from health_samples_5m`);
		await db().db.execute(sql`delete from app_meta`);
	});

	const policy = { downsampleAfterMs: DAY, rawKeepMs: 7 * DAY, aggregateKeepMs: 90 * DAY };
	const count = async (table: string) =>
		Number(
			(await db().rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n
		);

	it('folds samples older than a day into 5-minute buckets with the same percentiles', async () => {
		// Two buckets: 10:00–10:05 (10 samples, 2 failed) and 10:05–10:10 (1 sample).
		const latencies = [120, 80, 300, 95, 110, 2500, 130, 150];
		await insertHealthSamples(db().db, [
			...latencies.map((l, i) => sample('national-server', t0 + i * 20_000, true, l)),
			sample('national-server', t0 + 200_000, false, null),
			sample('national-server', t0 + 220_000, false, 9000),
			sample('national-server', t0 + 5 * MIN, true, 400)
		]);
		const result = await runRetention(db(), policy, new Date(t0 + DAY + 10 * MIN));
		expect(result.buckets).toBe(2);
		const buckets = await healthAggregatesBetween(db().db, {
			from: new Date(t0 - HOUR),
			to: new Date(t0 + HOUR)
		});
		const sorted = [...latencies].sort((a, b) => a - b);
		expect(
			buckets.map((b) => ({
				at: b.bucket.getTime(),
				samples: b.samples,
				failures: b.failures,
				p50: b.latencyP50Ms,
				p95: b.latencyP95Ms,
				max: b.latencyMaxMs
			}))
		).toEqual([
			{
				at: t0,
				samples: 10,
				failures: 2,
				p50: Math.round(percentile(sorted, 0.5)!),
				p95: Math.round(percentile(sorted, 0.95)!),
				max: 2500
			},
			{ at: t0 + 5 * MIN, samples: 1, failures: 0, p50: 400, p95: 400, max: 400 }
		]);
		// Raw samples are kept for a week.
		expect(await count('health_samples')).toBe(11);
	});

	it('folds only what is new on the next run, and leaves the last day raw', async () => {
		await insertHealthSamples(db().db, [sample('sms-gateway', t0, true)]);
		const first = await runRetention(db(), policy, new Date(t0 + DAY + 10 * MIN));
		expect(first.buckets).toBe(1);
		// A sample inside the last day is not folded yet.
		await insertHealthSamples(db().db, [sample('sms-gateway', t0 + 12 * HOUR, true)]);
		const again = await runRetention(db(), policy, new Date(t0 + DAY + 15 * MIN));
		expect(again.buckets).toBe(0);
		const later = await runRetention(db(), policy, new Date(t0 + 36 * HOUR + 10 * MIN));
		expect(later.buckets).toBe(1);
		expect(await count('health_samples_5m')).toBe(2);
	});

	it('deletes raw samples after a week and buckets after their keep, so tables stay bounded', async () => {
		await insertHealthSamples(db().db, [
			sample('otp-service', t0, true),
			sample('otp-service', t0 + 8 * DAY, true)
		]);
		const result = await runRetention(db(), policy, new Date(t0 + 8 * DAY + MIN));
		expect(result.rawDeleted).toBe(1);
		expect(await count('health_samples')).toBe(1);
		expect(await count('health_samples_5m')).toBe(1);
		const much = await runRetention(db(), policy, new Date(t0 + 91 * DAY));
		expect(much.aggregatesDeleted).toBe(1);
		expect(await count('health_samples_5m')).toBe(1); // the newer sample, folded by then
		expect(await count('health_samples')).toBe(0);
	});

	it('never deletes raw samples that were not folded', async () => {
		await insertHealthSamples(db().db, [sample('national-server', t0, true)]);
		// Raw keep shorter than the fold delay: the fold delay wins.
		const result = await runRetention(
			db(),
			{ downsampleAfterMs: 2 * DAY, rawKeepMs: DAY, aggregateKeepMs: 90 * DAY },
			new Date(t0 + DAY + HOUR)
		);
		expect(result.rawDeleted).toBe(0);
		expect(await count('health_samples')).toBe(1);
	});
});

forEachDatabase('health incidents', (db) => {
	const rule = {
		openAfter: 2,
		closeAfter: 2,
		errorRate: 0.5,
		errorWindowMs: 5 * MIN,
		errorMinSamples: 5
	};
	const log = createLogger('silent');

	beforeEach(async () => {
		await db().db.execute(sql`delete from health_samples`);
		await db().db.execute(sql`delete from alerts`);
	});

	function detector(clock: Clock) {
		const changes: LiveChange[] = [];
		const d = new IncidentDetector({
			handle: db(),
			publish: (c) => changes.push(c),
			log,
			clock,
			rule
		});
		return { d, changes };
	}

	it('opens one incident at the second bad sample, escalates it, and closes it on recovery', async () => {
		const clock = pinnedClock(t0);
		const { d, changes } = detector(clock);
		const step = async (atMs: number, ok: boolean, latencyMs: number | null) => {
			await insertHealthSamples(db().db, [sample('national-server', atMs, ok, latencyMs)]);
			clock.set(atMs);
			await d.evaluate();
		};
		await step(t0, true, 150);
		await step(t0 + 30_000, true, 2600);
		expect(await openHealthIncidents(db().db)).toEqual([]);
		await step(t0 + 60_000, true, 3100);
		const [opened] = await openHealthIncidents(db().db);
		expect(opened).toMatchObject({
			status: 'open',
			openedAt: new Date(t0 + 60_000),
			summary: 'National server (CoWIN) degraded: 2 slow answers in a row (latest 3.1 s)',
			detail: {
				target: 'national-server',
				severity: 'degraded',
				since: new Date(t0 + 30_000).toISOString()
			}
		});
		expect(changes.at(-1)?.alerts?.[0]).toMatchObject({
			id: opened.id,
			kind: 'health_incident',
			status: 'open'
		});
		// Evaluating again changes nothing: no second incident.
		await d.evaluate();
		expect(await openHealthIncidents(db().db)).toHaveLength(1);

		await step(t0 + 90_000, false, null);
		const [escalated] = await openHealthIncidents(db().db);
		expect(escalated.id).toBe(opened.id);
		expect(escalated.detail.severity).toBe('down');
		expect(escalated.summary).toMatch(/^National server \(CoWIN\) down: 3 failed checks/);

		await step(t0 + 120_000, true, 140);
		expect(await openHealthIncidents(db().db)).toHaveLength(1);
		await step(t0 + 150_000, true, 130);
		expect(await openHealthIncidents(db().db)).toEqual([]);
		expect(changes.at(-1)?.alertsClosed).toEqual([opened.id]);
		const [closed] = await db().rows<{ status: string; closed_ms: number }>(
			sql`select status, (extract(epoch from closed_at) * 1000)::float8 as closed_ms from alerts`
		);
		expect({ status: closed.status, closedMs: Number(closed.closed_ms) }).toEqual({
			status: 'resolved',
			closedMs: t0 + 150_000
		});
	});

	it('does not open twice when two detectors (two nodes) look at the same moment', async () => {
		await insertHealthSamples(db().db, [
			sample('sms-gateway', t0, false),
			sample('sms-gateway', t0 + 30_000, false)
		]);
		const clock = pinnedClock(t0 + 30_000);
		const a = detector(clock);
		const b = detector(clock);
		await Promise.all([a.d.evaluate(), b.d.evaluate()]);
		expect(await openHealthIncidents(db().db)).toHaveLength(1);
	});

	it('reads incidents, stalls and SMS spikes into one timeline, and the status page from them', async () => {
		await insertHealthSamples(db().db, [
			sample('national-server', t0, false),
			sample('national-server', t0 + 30_000, false)
		]);
		await detector(pinnedClock(t0 + 30_000)).d.evaluate();
		await db().db.execute(sql`
			insert into alerts (kind, status, opened_at, summary, district_code)
			values ('sms_failure_spike', 'open', ${new Date(t0 + 5 * MIN).toISOString()}::timestamptz, 'SMS failing in Pune', '521'),
			       ('site_stalled', 'open', ${new Date(t0 + 10 * MIN).toISOString()}::timestamptz, 'P1 stalled', '521'),
			       ('site_stalled', 'open', ${new Date(t0 + 11 * MIN).toISOString()}::timestamptz, 'N1 stalled', '505')`);
		const now = new Date(t0 + 30 * MIN);
		const timeline = await readTimeline(db().db, { now, hours: 6 });
		expect(timeline.lanes.map((l) => l.label)).toEqual([
			'National server (CoWIN)',
			'SMS failure spikes',
			'Stalled sites'
		]);
		expect(timeline.lanes[0].bars[0]).toMatchObject({
			fromMs: t0 + 30_000,
			toMs: null,
			severity: 'down'
		});
		expect(timeline.lanes[2].counts?.at(-1)).toEqual({ atMs: t0 + 11 * MIN, open: 2 });
		// A Nagpur-only officer does not see Pune's alerts.
		const nagpur = await readTimeline(db().db, { now, hours: 6, districts: ['505'] });
		expect(nagpur.alerts.map((a) => a.summary).sort()).toEqual(
			['N1 stalled', expect.stringMatching(/^National server/)].sort()
		);

		await seedStatusNotices(db().db, defaultStatusNotices);
		const page = await readStatusPage(db().db);
		expect(page.map((c) => [c.component, c.status])).toEqual([
			['national-server', 'down'],
			['sms-gateway', 'unknown'],
			['command-centre', 'up']
		]);
		expect(page[0].incidentSince).toBe(new Date(t0 + 30_000).toISOString());
		// An officer who knows better sets the status by hand; the words they wrote stay.
		await updateStatusNotice(
			db().db,
			'sms-gateway',
			{ instruction: 'Use paper.', message: 'Gateway vendor informed', override: 'degraded' },
			'state.officer'
		);
		await seedStatusNotices(db().db, defaultStatusNotices);
		const edited = (await readStatusPage(db().db))[1];
		expect(edited).toMatchObject({
			status: 'degraded',
			overridden: true,
			instruction: 'Use paper.',
			message: 'Gateway vendor informed',
			updatedBy: 'state.officer'
		});
	});

	it('summarises a target: latest status, p50 and p95 over the window, error rate, series', async () => {
		await insertHealthSamples(db().db, [
			sample('otp-service', t0 - 2 * HOUR, true, 9999), // outside the hour
			sample('otp-service', t0 - 50 * MIN, true, 100),
			sample('otp-service', t0 - 20 * MIN, true, 300),
			sample('otp-service', t0 - 10 * MIN, false, null),
			sample('otp-service', t0 - MIN, true, 2500)
		]);
		const summary = await readHealthSummary(db().db, { now: new Date(t0), minutes: 60 });
		const otp = summary.targets.find((t) => t.target === 'otp-service')!;
		expect(otp).toMatchObject({
			label: 'OTP service',
			status: 'degraded',
			latencyMs: 2500,
			window: { minutes: 60, samples: 4, failures: 1, errorRate: 0.25, p50Ms: 300, p95Ms: 2280 }
		});
		expect(summary.bucketMs).toBe(MIN);
		expect(otp.series).toHaveLength(60);
		expect(otp.series.filter((p) => p.samples > 0).map((p) => p.p95Ms)).toEqual([
			100,
			300,
			null,
			2500
		]);
	});
});

forEachDatabase('health monitor on several nodes', (db) => {
	it('probes only while this node leads, and seeds the status page once', async () => {
		await saveProbeTarget(
			db().db,
			{
				target: 'command-centre',
				// A path on this server: with no address known yet, checks record nothing.
				url: '/healthz',
				method: 'GET',
				expectStatus: 200,
				expectBody: null,
				timeoutMs: 1000,
				intervalSeconds: 30,
				enabled: true
			},
			'test'
		);
		const config = loadConfig({ DATA_DIR: 'memory://', DEMO: '0' });
		const live = new LiveState({
			timeZone: config.APP_TIMEZONE,
			thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
			simulated: false
		});
		let start: (() => unknown) | undefined;
		const monitor = await startHealthMonitor({
			config,
			handle: db(),
			live,
			ingest: new Ingest({ handle: db(), live }),
			log: createLogger('silent'),
			metrics: createMetrics(),
			demo: false,
			leader: { whileLeader: (_name, run) => void (start = run) }
		});
		try {
			expect((await listStatusNotices(db().db)).map((n) => n.component)).toEqual([
				'national-server',
				'sms-gateway',
				'command-centre'
			]);
			expect(monitor.probing).toEqual([]);
			const stop = (await start!()) as () => Promise<void>;
			expect(monitor.probing).toEqual(['command-centre']);
			await stop();
			expect(monitor.probing).toEqual([]);
		} finally {
			await monitor.close();
		}
	});
});
