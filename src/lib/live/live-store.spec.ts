import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Delta, Snapshot } from '$lib/shared/live';

/** A stand-in for socket.io-client's Socket: records emits and lets the test fire events. */
class FakeSocket {
	static last: FakeSocket | null = null;
	handlers = new Map<string, ((...args: unknown[]) => void)[]>();
	emitted: [string, unknown][] = [];
	connected = false;
	active = true;

	constructor(
		public url: string,
		public opts: { auth: (cb: (data: object) => void) => void; path: string; transports: string[] }
	) {
		FakeSocket.last = this;
	}

	on(event: string, fn: (...args: unknown[]) => void) {
		this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
		return this;
	}

	emit(event: string, payload: unknown) {
		this.emitted.push([event, payload]);
		return this;
	}

	disconnect() {
		this.connected = false;
		this.active = false;
	}

	fire(event: string, ...args: unknown[]) {
		if (event === 'connect') this.connected = true;
		if (event === 'disconnect') this.connected = false;
		for (const fn of this.handlers.get(event) ?? []) fn(...args);
	}

	handshakeAuth(): object {
		let out: object = {};
		this.opts.auth((data) => (out = data));
		return out;
	}
}

vi.mock('socket.io-client', () => ({
	io: (url: string, opts: ConstructorParameters<typeof FakeSocket>[1]) => new FakeSocket(url, opts)
}));

const { LiveStore, STALE_AFTER_MS } = await import('./live-store.svelte');

const totals = (dosesToday: number) => ({
	dosesToday,
	sitesActive: 1,
	sitesStalled: 0,
	sitesManual: 0,
	smsFailedToday: 0
});

const snapshot = (seq = 5, epoch = 'e1'): Snapshot => ({
	seq,
	epoch,
	at: new Date().toISOString(),
	day: '2021-01-16',
	timeZone: 'Asia/Kolkata',
	simulated: true,
	thresholds: { stallMinutes: 30, startupGraceMinutes: 45 },
	totals: totals(100),
	districts: [],
	sites: [],
	health: [],
	alerts: []
});

const delta = (seq: number, dosesToday: number, epoch = 'e1'): Delta => ({
	seq,
	epoch,
	at: new Date().toISOString(),
	day: '2021-01-16',
	totals: totals(dosesToday)
});

describe('LiveStore', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		FakeSocket.last = null;
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	function connected() {
		const store = new LiveStore();
		store.connect();
		const socket = FakeSocket.last!;
		socket.fire('connect');
		return { store, socket };
	}

	it('connects on the shared socket path, WebSocket first with a polling fallback', () => {
		const { store, socket } = connected();
		expect(socket.opts.path).toBe('/socket.io');
		expect(socket.opts.transports).toEqual(['websocket', 'polling']);
		expect(socket.handshakeAuth()).toEqual({});
		expect(store.connection).toBe('connecting');
		store.close();
	});

	it('is live after the snapshot and applies deltas in order', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot());
		expect(store.connection).toBe('live');
		expect(store.simulated).toBe(true);
		socket.fire('delta', delta(6, 105));
		socket.fire('delta', delta(7, 110));
		expect(store.totals?.dosesToday).toBe(110);
		expect(store.snapshot?.seq).toBe(7);
		// A replayed delta is ignored.
		socket.fire('delta', delta(6, 105));
		expect(store.totals?.dosesToday).toBe(110);
		store.close();
	});

	it('asks to resume from the last seq on a gap, once, and does not apply past the gap', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot(5));
		socket.fire('delta', delta(8, 120));
		socket.fire('delta', delta(9, 125));
		expect(store.totals?.dosesToday).toBe(100);
		expect(socket.emitted).toEqual([['resume', { sinceSeq: 5, epoch: 'e1' }]]);
		// The missed deltas arrive: continuity restored.
		socket.fire('delta', delta(6, 105));
		socket.fire('delta', delta(7, 110));
		socket.fire('delta', delta(8, 120));
		expect(store.totals?.dosesToday).toBe(120);
		store.close();
	});

	it('asks again when a resume went unanswered', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot(5));
		socket.fire('delta', delta(8, 120));
		vi.advanceTimersByTime(4_000);
		expect(socket.emitted.length).toBe(2);
		store.close();
	});

	it('resumes on a new epoch too (the server restarted) and takes the fresh snapshot', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot(5, 'e1'));
		socket.fire('delta', delta(1, 7, 'e2'));
		expect(socket.emitted).toEqual([['resume', { sinceSeq: 5, epoch: 'e1' }]]);
		socket.fire('snapshot', { ...snapshot(1, 'e2'), totals: totals(7) });
		expect(store.totals?.dosesToday).toBe(7);
		store.close();
	});

	it('goes stale after 5 s without an update, and live again on the next', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot());
		const at = Date.now();
		vi.advanceTimersByTime(STALE_AFTER_MS);
		expect(store.connection).toBe('live');
		vi.advanceTimersByTime(1_000);
		expect(store.connection).toBe('stale');
		expect(store.staleSince).toBe(at);
		socket.fire('delta', delta(6, 101));
		expect(store.connection).toBe('live');
		expect(store.staleSince).toBeNull();
		store.close();
	});

	it('reconnects with the last seq and epoch, and says since when the data is old', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot(5));
		socket.fire('delta', delta(6, 101));
		const at = Date.now();
		vi.advanceTimersByTime(2_000);
		socket.fire('disconnect', 'transport close');
		expect(store.connection).toBe('reconnecting');
		expect(store.staleSince).toBe(at);
		expect(socket.handshakeAuth()).toEqual({ sinceSeq: 6, epoch: 'e1' });
		socket.fire('connect');
		socket.fire('delta', delta(7, 102));
		expect(store.connection).toBe('live');
		store.close();
	});

	it('is stale, not reconnecting, when the server refuses the connection', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot());
		socket.active = false;
		socket.fire('disconnect', 'io server disconnect');
		expect(store.connection).toBe('stale');
		expect(store.problem).toMatch(/io server disconnect/);
		store.close();
	});

	it('forgets the picture on close, so the next person does not see it', () => {
		const { store, socket } = connected();
		socket.fire('snapshot', snapshot());
		store.close();
		expect(store.snapshot).toBeNull();
		expect(store.connection).toBe('connecting');
	});
});
