import { io, type Socket } from 'socket.io-client';
import type {
	AlertLive,
	Delta,
	DistrictLive,
	HealthLive,
	SiteLive,
	SiteStatus,
	Snapshot
} from '$lib/shared/live';
import type {
	ClientToServerEvents,
	HandshakeAuth,
	ServerToClientEvents
} from '$lib/shared/realtime';
import { SOCKET_PATH } from '$lib/shared/realtime';
import { applyDelta, deltaOrder } from './apply';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stale';

/** No update for longer than this while connected means the picture may be out of date. */
export const STALE_AFTER_MS = 5_000;
/** A resume request that has not closed the gap by then is sent again. */
const RESUME_RETRY_MS = 3_000;

// Shared empty values keep their identity, so views derived from them do not rerun.
const NO_DISTRICTS: DistrictLive[] = [];
const NO_SITES: SiteLive[] = [];
const NO_HEALTH: HealthLive[] = [];
const NO_ALERTS: AlertLive[] = [];

export type SiteCounts = Record<SiteStatus, number>;

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Events outside the numbered picture (complaints, call marks) that pages listen to. */
type ExtraEvent = Exclude<keyof ServerToClientEvents, 'snapshot' | 'delta'>;

/**
 * The live picture in the browser: a snapshot on connect, then numbered deltas. The seq
 * check is ours; Socket.IO's own connection-state recovery is not relied on.
 */
export class LiveStore {
	// The whole picture is replaced on each update (never mutated), so raw state is enough
	// and 10,000 sites are not wrapped in proxies.
	#snapshot = $state.raw<Snapshot | null>(null);
	#connected = $state(false);
	/** False once Socket.IO has given up (auth refused, server closed the link). */
	#retrying = $state(true);
	#lastUpdateAt = $state<number | null>(null);
	#now = $state(Date.now());
	#problem = $state<string | null>(null);
	/** How many times the socket has connected: a page reads its lists again after a gap. */
	#connects = $state(0);
	#listeners: { event: ExtraEvent; handler: (...args: never[]) => void }[] = [];

	#socket: LiveSocket | null = null;
	#tick: ReturnType<typeof setInterval> | null = null;
	#resumeSentAt: number | null = null;

	readonly connection: ConnectionState = $derived.by(() => {
		if (!this.#snapshot) return this.#connected || this.#retrying ? 'connecting' : 'stale';
		if (!this.#connected) return this.#retrying ? 'reconnecting' : 'stale';
		if (this.#lastUpdateAt === null || this.#now - this.#lastUpdateAt > STALE_AFTER_MS) {
			return 'stale';
		}
		return 'live';
	});

	/**
	 * When the picture last changed (epoch ms), while it may be out of date; null while live.
	 * A number rather than a Date, so nobody mutates it in place.
	 */
	readonly staleSince: number | null = $derived(
		this.connection === 'live' || this.connection === 'connecting' ? null : this.#lastUpdateAt
	);

	readonly totals = $derived(this.#snapshot?.totals ?? null);
	readonly districts = $derived(this.#snapshot?.districts ?? NO_DISTRICTS);
	readonly sites = $derived(this.#snapshot?.sites ?? NO_SITES);
	readonly health = $derived(this.#snapshot?.health ?? NO_HEALTH);
	readonly alerts = $derived(this.#snapshot?.alerts ?? NO_ALERTS);
	readonly simulated = $derived(this.#snapshot?.simulated ?? false);
	readonly day = $derived(this.#snapshot?.day ?? null);
	readonly timeZone = $derived(this.#snapshot?.timeZone ?? 'Asia/Kolkata');
	readonly thresholds = $derived(this.#snapshot?.thresholds ?? null);

	readonly districtNames: Record<string, string> = $derived(
		Object.fromEntries(this.districts.map((d) => [d.code, d.name]))
	);

	readonly siteCounts: SiteCounts = $derived.by(() => {
		const counts: SiteCounts = { active: 0, idle: 0, stalled: 0, manual: 0, closed: 0 };
		for (const s of this.sites) counts[s.status]++;
		return counts;
	});

	get snapshot(): Snapshot | null {
		return this.#snapshot;
	}

	/** A clock that advances every second while connected, for "n min ago" labels. */
	get now(): number {
		return this.#now;
	}

	/** Connections made so far (1 after the first): changes when the socket reconnects. */
	get connects(): number {
		return this.#connects;
	}

	/**
	 * Listen to an event outside the numbered deltas, on this socket and any later one.
	 * Events sent while disconnected are lost: read again when `connects` changes.
	 */
	on<E extends ExtraEvent>(event: E, handler: ServerToClientEvents[E]): () => void {
		const listener = { event, handler: handler as (...args: never[]) => void };
		this.#listeners.push(listener);
		this.#socket?.on(event, handler as never);
		return () => {
			this.#listeners = this.#listeners.filter((l) => l !== listener);
			this.#socket?.off(event, handler as never);
		};
	}

	/** Why the link is down, in words, when Socket.IO said so. */
	get problem(): string | null {
		return this.#problem;
	}

	/** Open the socket (browser only). Safe to call twice. */
	connect(url?: string): void {
		if (this.#socket) return;
		const socket: LiveSocket = io(url ?? '', {
			path: SOCKET_PATH,
			// WebSocket first; long-polling when a proxy on the command-centre network blocks it.
			transports: ['websocket', 'polling'],
			tryAllTransports: true,
			// Evaluated on every (re)connect, so the server can send only what was missed.
			auth: (cb) => cb(this.#resumeAuth()),
			withCredentials: true
		});
		this.#socket = socket;
		this.#retrying = true;

		socket.on('connect', () => {
			this.#connected = true;
			this.#problem = null;
			this.#connects++;
		});
		for (const l of this.#listeners) socket.on(l.event, l.handler as never);
		socket.on('disconnect', (reason) => {
			this.#connected = false;
			// The server closing the link on purpose (e.g. signed out) is not retried.
			this.#retrying = socket.active;
			if (!socket.active) this.#problem = `Disconnected by the server (${reason})`;
		});
		socket.on('connect_error', (err) => {
			this.#connected = false;
			this.#retrying = socket.active;
			this.#problem = err.message;
		});
		socket.on('snapshot', (s) => this.receiveSnapshot(s));
		socket.on('delta', (d) => this.receiveDelta(d));

		this.#tick = setInterval(() => {
			this.#now = Date.now();
			this.#retryResume();
		}, 1_000);
	}

	/** Close the socket and forget the picture: the next person signed in starts afresh. */
	close(): void {
		if (this.#tick) clearInterval(this.#tick);
		this.#tick = null;
		this.#socket?.disconnect();
		this.#socket = null;
		this.#connected = false;
		this.#retrying = true;
		this.#snapshot = null;
		this.#lastUpdateAt = null;
		this.#problem = null;
		this.#resumeSentAt = null;
	}

	receiveSnapshot(snapshot: Snapshot): void {
		this.#snapshot = snapshot;
		this.#resumeSentAt = null;
		this.#touch();
	}

	receiveDelta(delta: Delta): void {
		const current = this.#snapshot;
		// The server sends a snapshot first on every connect; a stray delta before it has
		// nothing to apply to.
		if (!current) return;
		switch (deltaOrder(current, delta)) {
			case 'next':
				this.#snapshot = applyDelta(current, delta);
				this.#resumeSentAt = null;
				this.#touch();
				break;
			case 'old':
				// Already applied (a replay after resume).
				break;
			case 'gap':
			case 'epoch':
				// Not counted as an update: the picture stays where it was until the gap closes.
				this.#requestResume();
				break;
		}
	}

	#touch(): void {
		this.#now = Date.now();
		this.#lastUpdateAt = this.#now;
	}

	#resumeAuth(): HandshakeAuth {
		const s = this.#snapshot;
		return s ? { sinceSeq: s.seq, epoch: s.epoch } : {};
	}

	#requestResume(): void {
		if (this.#resumeSentAt !== null) return;
		this.#sendResume();
	}

	#retryResume(): void {
		if (this.#resumeSentAt !== null && Date.now() - this.#resumeSentAt > RESUME_RETRY_MS) {
			this.#sendResume();
		}
	}

	#sendResume(): void {
		const s = this.#snapshot;
		if (!s || !this.#socket?.connected) return;
		this.#resumeSentAt = Date.now();
		this.#socket.emit('resume', { sinceSeq: s.seq, epoch: s.epoch });
	}
}
