import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from './clock';
import { probeOnce, type ProbeConfig } from './probe';

/** A local target whose answer each test chooses by path. */
let server: Server;
let base: string;

beforeAll(async () => {
	server = createServer((req, res) => {
		if (req.url === '/ok') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true,"service":"national"}');
		} else if (req.url === '/error') {
			res.writeHead(503);
			res.end('maintenance');
		} else if (req.url === '/hang') {
			// Never answers within the probe's timeout; closed when the probe gives up.
			req.on('close', () => res.destroy());
		} else {
			res.writeHead(404);
			res.end();
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});

const config = (over: Partial<ProbeConfig>): ProbeConfig => ({
	target: 'national-server',
	url: `${base}/ok`,
	method: 'GET',
	expectStatus: 200,
	expectBody: null,
	timeoutMs: 2000,
	...over
});

/** Real fetches, pinned sample times, and a latency the test sets. */
function clock(latencyMs: number): Clock {
	let reads = 0;
	return {
		...systemClock,
		now: () => Date.parse('2021-01-16T04:30:00Z'),
		monotonic: () => (reads++ === 0 ? 0 : latencyMs)
	};
}

/** A check that must give a sample. */
async function check(...args: Parameters<typeof probeOnce>) {
	const sample = await probeOnce(...args);
	if (!sample) throw new Error('no sample');
	return sample;
}

describe('probeOnce', () => {
	it('records an answer with the expected status as ok, with its latency', async () => {
		const sample = await check(config({}), { clock: clock(180) });
		expect(sample).toEqual({
			target: 'national-server',
			at: '2021-01-16T04:30:00.000Z',
			ok: true,
			latencyMs: 180,
			detail: 'HTTP 200'
		});
	});

	it('checks the body for the expected text', async () => {
		const good = await check(config({ expectBody: '"ok":true' }), { clock: clock(5) });
		expect(good.ok).toBe(true);
		const bad = await check(config({ expectBody: 'all systems go' }), { clock: clock(5) });
		expect(bad).toMatchObject({
			ok: false,
			detail: 'the answer does not contain "all systems go"'
		});
	});

	it('fails on another status, keeping the latency of the answer', async () => {
		const sample = await check(config({ url: `${base}/error` }), { clock: clock(40) });
		expect(sample).toMatchObject({ ok: false, latencyMs: 40, detail: 'HTTP 503, expected 200' });
	});

	it('accepts the status it was told to expect', async () => {
		const sample = await check(config({ url: `${base}/error`, expectStatus: 503 }), {
			clock: clock(1)
		});
		expect(sample.ok).toBe(true);
	});

	it('HEAD checks the status only', async () => {
		const sample = await check(config({ method: 'HEAD', expectBody: 'ignored for HEAD' }), {
			clock: clock(1)
		});
		expect(sample.ok).toBe(true);
	});

	it('gives up after the timeout and says so', async () => {
		const sample = await check(config({ url: `${base}/hang`, timeoutMs: 150 }), {
			clock: systemClock
		});
		expect(sample).toEqual({
			target: 'national-server',
			at: sample.at,
			ok: false,
			detail: 'timeout after 150 ms'
		});
	});

	it('says when nothing listens', async () => {
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((r) => closed.close(r));
		const sample = await check(config({ url: `http://127.0.0.1:${port}/` }), {
			clock: systemClock
		});
		expect(sample).toMatchObject({ ok: false, detail: 'connection refused' });
	});

	it("probes this server's own paths once its address is known", async () => {
		// Before the server listens there is nothing to check: no sample, not a failure.
		expect(await probeOnce(config({ url: '/ok' }), { clock: clock(1) })).toBeNull();
		const known = await check(config({ url: '/ok' }), { clock: clock(1), selfUrl: () => base });
		expect(known.ok).toBe(true);
	});
});
