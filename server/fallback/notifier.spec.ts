import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { createNotifier, LogNotifier, WebhookNotifier, type OutboundMessage } from './notifier';

const message: OutboundMessage = {
	id: 'n-1',
	kind: 'site_mode',
	siteCode: 'P1',
	siteName: 'Aundh UPHC',
	districtCode: '521',
	text: 'switch to paper',
	detail: { mode: 'manual' }
};

describe('WebhookNotifier', () => {
	let server: Server;
	let url: string;
	const received: { headers: IncomingMessage['headers']; body: string; path: string }[] = [];

	beforeAll(async () => {
		server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ headers: req.headers, body, path: req.url ?? '' });
				if (req.url === '/ok') res.writeHead(202).end();
				else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 500);
				else
					res
						.writeHead(502, { 'content-type': 'text/plain' })
						.end('  upstream SMS provider down\n');
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((r) => server.close(r));
	});

	it('posts the message as JSON with an idempotency key; a 2xx answer is a delivery', async () => {
		await new WebhookNotifier(`${url}/ok`, 2000).send(message);
		const got = received.find((r) => r.path === '/ok')!;
		expect(got.headers['content-type']).toBe('application/json');
		expect(got.headers['idempotency-key']).toBe('n-1');
		expect(JSON.parse(got.body)).toEqual(message);
	});

	it('fails with the gateway status and words', async () => {
		await expect(new WebhookNotifier(`${url}/fail`, 2000).send(message)).rejects.toThrow(
			'gateway answered HTTP 502: upstream SMS provider down'
		);
	});

	it('fails when the gateway is slower than the timeout or not there at all', async () => {
		await expect(new WebhookNotifier(`${url}/slow`, 50).send(message)).rejects.toThrow(
			'gateway gave no answer within 50 ms'
		);
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((r) => closed.close(r));
		await expect(
			new WebhookNotifier(`http://127.0.0.1:${port}/`, 2000).send(message)
		).rejects.toThrow(/gateway unreachable: ECONNREFUSED/);
	});
});

describe('createNotifier', () => {
	it('posts to the webhook when one is configured, else only logs', () => {
		const log = createLogger('silent');
		expect(createNotifier({ NOTIFY_TIMEOUT_MS: 1000 }, log)).toBeInstanceOf(LogNotifier);
		expect(
			createNotifier(
				{ NOTIFY_WEBHOOK_URL: 'http://gateway.local/send', NOTIFY_TIMEOUT_MS: 1000 },
				log
			).channel
		).toBe('webhook');
	});
});
