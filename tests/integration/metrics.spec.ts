import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/lib/shared/time';
import { forEachDatabase } from '../db/databases';
import { ExpositionError, parseExposition, type Family } from './exposition';
import { connectClient, seedSmallState, startTestServer, until, type TestServer } from './server';

describe('the exposition reader', () => {
	const ok = (body: string) => parseExposition(body);
	const bad = (body: string, why: RegExp) => expect(() => parseExposition(body)).toThrow(why);

	it('reads a well-formed body', () => {
		const families = ok(
			[
				'# HELP a_total Things.',
				'# TYPE a_total counter',
				'a_total{feed="doses",outcome="ok\\"ish"} 3',
				'# HELP h Latency.',
				'# TYPE h histogram',
				'h_bucket{le="0.1"} 1',
				'h_bucket{le="+Inf"} 2',
				'h_sum 0.3',
				'h_count 2',
				''
			].join('\n')
		);
		expect(families.get('a_total')?.samples[0].labels).toEqual({
			feed: 'doses',
			outcome: 'ok"ish'
		});
		expect(families.get('h')?.samples).toHaveLength(4);
	});

	it('refuses what Prometheus or promtool would', () => {
		bad('# HELP x X.\n# TYPE x gauge\nx 1', /line feed/);
		bad('# HELP x X.\n# TYPE x gauge\nx one\n', /not a float/);
		bad('# HELP x X.\n# TYPE x gauge\nx{a="1} 1\n', /unterminated|expected/);
		bad('# HELP x X.\n# TYPE x gauge\nx{a="1",a="2"} 1\n', /given twice/);
		bad('# HELP x X.\n# TYPE x gauge\nx 1\nx 2\n', /given twice/);
		bad(
			'# HELP x X.\n# TYPE x gauge\nx 1\n# HELP y Y.\n# TYPE y gauge\ny 1\nx{a="b"} 1\n',
			/grouped/
		);
		bad('# HELP x X.\nx 1\n# TYPE x gauge\n', /TYPE of x after its samples/);
		bad('# TYPE x gauge\nx 1\n', /no HELP/);
		bad('# HELP x X.\n# TYPE x counter\nx 1\n', /_total/);
		bad(
			'# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
			/cumulative/
		);
		bad('# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', /\+Inf/);
		bad(
			'# HELP h H.\n# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n',
			/not equal to _count/
		);
		expect(() => parseExposition('1x 2\n')).toThrow(ExpositionError);
	});
});

forEachDatabase('GET /metrics', (db, kind) => {
	let server: TestServer;
	let today: string;

	beforeAll(async () => {
		server = await startTestServer(db());
		today = localDate(new Date(), 'Asia/Kolkata');
		await seedSmallState(server, today);
	});

	afterAll(async () => {
		await server?.close();
	});

	const value = (f: Family | undefined, labels: Record<string, string> = {}) =>
		f?.samples.find(
			(s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v) && s.name === f.name
		)?.value;

	it('is valid exposition format and covers ingest, quarantine, sockets, fan-out, event loop and database', async () => {
		const client = connectClient(server.url, { token: server.readToken });
		await until(() => client.snapshots.length > 0);
		const at = new Date().toISOString();
		const res = await server.post('/api/v1/doses', [
			{
				id: 'm-1',
				siteCode: 'P1',
				occurredAt: at,
				vaccine: 'COVISHIELD',
				dose: 1,
				beneficiaryRef: 'b1'
			},
			{
				id: 'm-2',
				siteCode: 'NOPE',
				occurredAt: at,
				vaccine: 'COVISHIELD',
				dose: 1,
				beneficiaryRef: 'b2'
			},
			{
				id: 'm-3',
				siteCode: 'P1',
				occurredAt: 'later',
				vaccine: 'COVISHIELD',
				dose: 1,
				beneficiaryRef: 'b3'
			}
		]);
		expect((await res.json()).rejected).toHaveLength(2);
		await until(() => client.deltas.length > 0);

		const scrape = await fetch(`${server.url}/metrics`);
		expect(scrape.status).toBe(200);
		expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const families = parseExposition(await scrape.text());

		expect(
			value(families.get('cc_ingest_items_total'), { feed: 'doses', outcome: 'accepted' })
		).toBe(1);
		expect(
			value(families.get('cc_ingest_items_total'), { feed: 'doses', outcome: 'rejected' })
		).toBe(2);
		expect(families.get('cc_ingest_batch_items')?.type).toBe('histogram');
		expect(families.get('cc_ingest_commit_seconds')?.type).toBe('histogram');
		expect(value(families.get('cc_quarantine_pending'))).toBe(2);
		expect(value(families.get('cc_socket_clients'))).toBe(1);
		const fanout = families.get('cc_delta_fanout_seconds');
		expect(fanout?.type).toBe('histogram');
		expect(
			fanout?.samples.find((s) => s.name === 'cc_delta_fanout_seconds_count')?.value
		).toBeGreaterThan(0);
		expect(families.get('cc_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
		expect(families.get('cc_nodejs_eventloop_lag_p99_seconds')?.type).toBe('gauge');
		expect(value(families.get('cc_database_up'))).toBe(1);
		expect(value(families.get('cc_database_pool_max'))).toBe(kind === 'postgres' ? 4 : 1);
		expect(value(families.get('cc_ingest_waiting_requests'))).toBe(0);
		expect(families.get('cc_health_incidents_open')?.type).toBe('gauge');
		expect(families.get('cc_probe_checks_total')?.type).toBe('counter');
		if (kind === 'postgres') {
			const connections = families.get('cc_database_connections')!;
			expect(connections.samples.reduce((n, s) => n + s.value, 0)).toBeGreaterThan(0);
		}
		client.socket.close();
	});

	it('answers /healthz and /readyz as the contract says', async () => {
		const healthz = await fetch(`${server.url}/healthz`);
		expect([healthz.status, await healthz.json()]).toEqual([200, { ok: true }]);
		const readyz = await fetch(`${server.url}/readyz`);
		expect(readyz.status).toBe(200);
	});
});
