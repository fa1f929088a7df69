/**
 * A built-in probe against a local HTTP target that turns slow, then fails, then recovers:
 * the incident opens at the second bad check (within two probe intervals), turns to down,
 * and closes once the target answers well again, in the database and on the live feed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openHealthIncidents, saveProbeTarget } from '../../src/lib/server/db/queries/health';
import { sampleStatus } from '../../src/lib/shared/health';
import type { AlertLive, HealthLive } from '../../src/lib/shared/live';
import { forEachDatabase } from '../db/databases';
import { connectClient, startTestServer, until, type TestServer } from './server';

type Mode = 'fast' | 'slow' | 'fail';

/** Slow enough to count as degraded (more than 2 s). */
const SLOW_MS = 2300;

forEachDatabase('built-in probes', (db) => {
	let mode: Mode = 'fast';
	let target: Server;
	let targetUrl: string;
	let server: TestServer;

	beforeAll(async () => {
		target = createServer((_req, res) => {
			const answer = mode;
			if (answer === 'fail') {
				res.writeHead(503);
				res.end('maintenance');
			} else {
				setTimeout(
					() => {
						res.writeHead(200);
						res.end('national: ok');
					},
					answer === 'slow' ? SLOW_MS : 0
				);
			}
		});
		await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
		targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/status`;
		server = await startTestServer(db(), {
			HEALTH_INCIDENT_OPEN_AFTER: '2',
			HEALTH_INCIDENT_CLOSE_AFTER: '2',
			// Only the run rule in this test: the rate rule has its own unit tests.
			HEALTH_ERROR_RATE: '1',
			HEALTH_ERROR_MIN_SAMPLES: '1000'
		});
	});

	afterAll(async () => {
		await server?.close();
		target?.closeAllConnections();
		await new Promise((r) => target?.close(r));
	});

	interface Row {
		at_ms: number;
		ok: boolean;
		latency_ms: number | null;
		detail: string | null;
	}
	const samples = async () =>
		(
			await db().rows<Row>(sql`
				select (extract(epoch from at) * 1000)::float8 as at_ms, ok, latency_ms, detail
				from health_samples where target = 'national-server' order by at`)
		).map((r) => ({
			atMs: Number(r.at_ms),
			status: sampleStatus(r.ok, r.latency_ms === null ? null : Number(r.latency_ms)),
			detail: r.detail
		}));

	/** Poll (the probe runs on its own clock) until `check` holds. */
	const waitFor = async <T>(check: () => Promise<T | undefined | false>) => {
		for (const started = Date.now(); Date.now() - started < 30_000;) {
			const value = await check();
			if (value) return value;
			await new Promise((r) => setTimeout(r, 50));
		}
		throw new Error('condition not met within 30 s');
	};

	it('opens an incident within two probe intervals of the target slowing, and closes it on recovery', async () => {
		const client = connectClient(server.url, { token: server.readToken });
		const healthSeen: HealthLive[] = [];
		const alertsSeen: AlertLive[] = [];
		const closedSeen: string[] = [];
		client.socket.on('delta', (d) => {
			healthSeen.push(...(d.health ?? []));
			alertsSeen.push(...(d.alerts ?? []));
			closedSeen.push(...(d.alertsClosed ?? []));
		});

		await saveProbeTarget(
			db().db,
			{
				target: 'national-server',
				url: targetUrl,
				method: 'GET',
				expectStatus: 200,
				expectBody: 'national: ok',
				timeoutMs: 5000,
				intervalSeconds: 1,
				enabled: true
			},
			'test'
		);
		await server.services.health.syncTargets();
		expect(server.services.health.probing).toEqual(['national-server']);

		// Healthy first: a few good checks, no incident.
		await waitFor(async () => (await samples()).filter((s) => s.status === 'up').length >= 2);
		expect(await openHealthIncidents(db().db)).toEqual([]);

		// The target slows down.
		const slowFrom = Date.now();
		mode = 'slow';
		const [incident] = await waitFor(async () => {
			const open = await openHealthIncidents(db().db);
			return open.length > 0 ? open : undefined;
		});
		// Opened at the second slow check: no good check came between the slowdown and it.
		const afterSlow = (await samples()).filter((s) => s.atMs >= slowFrom - 1000);
		const firstBad = afterSlow.findIndex((s) => s.status !== 'up');
		const secondBad = afterSlow[firstBad + 1];
		expect(afterSlow.slice(firstBad, firstBad + 2).map((s) => s.status)).toEqual([
			'degraded',
			'degraded'
		]);
		expect(incident.openedAt.getTime()).toBe(secondBad.atMs);
		expect(incident.detail).toMatchObject({ target: 'national-server', severity: 'degraded' });
		expect(incident.summary).toMatch(
			/^National server \(CoWIN\) degraded: 2 slow answers in a row/
		);
		await until(() => alertsSeen.find((a) => a.id === incident.id && a.kind === 'health_incident'));
		await until(() =>
			healthSeen.find((h) => h.target === 'national-server' && h.status === 'degraded')
		);

		// Then it fails outright: the same incident, now down.
		mode = 'fail';
		await waitFor(async () => {
			const [open] = await openHealthIncidents(db().db);
			return open?.detail.severity === 'down' ? open : undefined;
		});
		const [down] = await openHealthIncidents(db().db);
		expect(down.id).toBe(incident.id);
		expect(down.summary).toMatch(/down: \d+ failed checks in a row \(HTTP 503, expected 200\)/);
		await until(() =>
			healthSeen.find((h) => h.target === 'national-server' && h.status === 'down')
		);

		// It recovers: closed at the second good check.
		const recoveredFrom = Date.now();
		mode = 'fast';
		await waitFor(async () =>
			(await openHealthIncidents(db().db)).length === 0 ? true : undefined
		);
		const [closed] = await db().rows<{ status: string; closed_ms: number }>(
			sql`select status, (extract(epoch from closed_at) * 1000)::float8 as closed_ms
				from alerts where id = ${incident.id}`
		);
		const afterRecovery = (await samples()).filter((s) => s.atMs >= recoveredFrom - 1000);
		const goods = afterRecovery.filter((s) => s.status === 'up');
		expect(closed.status).toBe('resolved');
		expect(Number(closed.closed_ms)).toBe(goods[1].atMs);
		await until(() => closedSeen.includes(incident.id));
		await until(() => healthSeen.findLast((h) => h.target === 'national-server')?.status === 'up');
		client.socket.close();
	});

	it('records pushed samples beside probe samples and stops probing a removed target', async () => {
		const pushed = await server.post('/api/v1/health', [
			{ target: 'sms-gateway', at: new Date().toISOString(), ok: true, latencyMs: 90 }
		]);
		expect(await pushed.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
		await db().db.execute(sql`update probe_targets set enabled = false`);
		await server.services.health.syncTargets();
		expect(server.services.health.probing).toEqual([]);
	});
});
