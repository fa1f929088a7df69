/**
 * Socket clients for the latency bench, in a process of their own so that their work
 * does not count against the server's. Driven over IPC by bench/latency.ts:
 *   connect {url, token, n}  → ready {connected, failed}
 *   expect {total}           clients note when they first see totals.dosesToday >= total
 *   collect                  → times {times: epoch ms per client that saw it, missing}
 *   close
 */
import { io, type Socket } from 'socket.io-client';
import type { Delta, Snapshot } from '../src/lib/shared/live';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/shared/realtime';

type Message =
	| { type: 'connect'; url: string; token: string; n: number }
	| { type: 'expect'; total: number }
	| { type: 'collect' }
	| { type: 'close' };

interface Client {
	socket: Socket<ServerToClientEvents, ClientToServerEvents>;
	snapshot: boolean;
	seenAt: number | null;
}

const clients: Client[] = [];
let target = Infinity;

function watch(client: Client, total: number) {
	if (client.seenAt === null && total >= target) client.seenAt = Date.now();
}

async function connect(url: string, token: string, n: number) {
	let failed = 0;
	const wave = 200;
	for (let i = 0; i < n; i += wave) {
		const opened = Array.from({ length: Math.min(wave, n - i) }, () => {
			const socket: Client['socket'] = io(url, {
				path: '/socket.io',
				auth: { token },
				transports: ['websocket'],
				reconnection: false
			});
			const client: Client = { socket, snapshot: false, seenAt: null };
			clients.push(client);
			socket.on('snapshot', (s: Snapshot) => {
				client.snapshot = true;
				watch(client, s.totals.dosesToday);
			});
			socket.on('delta', (d: Delta) => watch(client, d.totals.dosesToday));
			return new Promise<void>((resolve) => {
				const timer = setTimeout(() => {
					failed++;
					resolve();
				}, 30_000);
				socket.once('snapshot', () => {
					clearTimeout(timer);
					resolve();
				});
				socket.once('connect_error', () => {
					clearTimeout(timer);
					failed++;
					resolve();
				});
			});
		});
		await Promise.all(opened);
	}
	return { connected: clients.filter((c) => c.snapshot).length, failed };
}

process.on('message', (m: Message) => {
	void (async () => {
		if (m.type === 'connect') {
			process.send!({ type: 'ready', ...(await connect(m.url, m.token, m.n)) });
		} else if (m.type === 'expect') {
			target = m.total;
			for (const c of clients) c.seenAt = null;
		} else if (m.type === 'collect') {
			const times = clients.filter((c) => c.seenAt !== null).map((c) => c.seenAt!);
			process.send!({ type: 'times', times, missing: clients.length - times.length });
		} else if (m.type === 'close') {
			for (const c of clients) c.socket.close();
			process.exit(0);
		}
	})();
});
