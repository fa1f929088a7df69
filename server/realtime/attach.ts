import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Principal } from '../../src/lib/server/auth/policy';
import { can, scopeOf } from '../../src/lib/server/auth/policy';
import {
	SOCKET_PATH,
	type ClientToServerEvents,
	type ServerToClientEvents
} from '../../src/lib/shared/realtime';
import { credentialKey, type Authenticator, type Credential } from '../auth';
import type { Logger } from '../log';
import type { DeltaStream, DeltaStreams } from './streams';

interface SocketData {
	principal: Principal;
	/** What the socket signed in with, re-checked so revocation reaches it. */
	credential: Credential;
	stream: DeltaStream;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

export interface RealtimeDeps {
	streams: DeltaStreams;
	auth: Authenticator;
	log: Logger;
	/** Coalescing window: at most one delta per client per interval. */
	intervalMs: number;
	/** Told how long each tick took to build and emit (metrics). */
	onTick?: (seconds: number) => void;
	/** How often connected sockets' credentials are checked again (revocation), in ms. */
	recheckMs?: number;
	/** Joins the sockets of several nodes (the PostgreSQL adapter); none on one node. */
	adapter?: ServerOptions['adapter'];
	now?: () => Date;
}

const resumeSchema = z.object({
	sinceSeq: z.number().int().min(0),
	epoch: z.string().max(100).optional()
});

/**
 * Socket.IO on the same HTTP server as the pages and the API. On connect a client gets
 * its scope's snapshot (or the deltas it missed); then one coalesced delta per tick.
 */
export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps) {
	const now = deps.now ?? (() => new Date());
	const io: RealtimeServer = new Server(httpServer, {
		path: SOCKET_PATH,
		serveClient: false,
		// Same-origin browsers and machine clients only; no cross-origin pages.
		cors: undefined,
		...(deps.adapter ? { adapter: deps.adapter } : {})
	});

	const streamOf = (principal: Principal) => {
		const scope = scopeOf(principal);
		return deps.streams.streamFor(scope.all ? null : scope.districts);
	};

	io.use(async (socket, next) => {
		try {
			const token =
				typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
			const who = token
				? await deps.auth.withToken(token)
				: await deps.auth.withCookie(socket.handshake.headers.cookie);
			if (!who) return next(new Error('unauthorized: sign in or send a read token'));
			const { principal } = who;
			if (!can(principal, 'live.subscribe'))
				return next(new Error('forbidden: no live feed for this account'));
			socket.data.principal = principal;
			socket.data.credential = who.credential;
			socket.data.stream = streamOf(principal);
			next();
		} catch (error) {
			deps.log.error({ err: error }, 'socket authentication failed');
			next(new Error('unavailable: try again shortly'));
		}
	});

	io.on('connection', (socket) => {
		const stream = socket.data.stream;
		void socket.join(stream.room);
		const auth = resumeSchema.safeParse(socket.handshake.auth);
		sendFrom(socket, auth.success ? auth.data : null);
		socket.on('resume', (request) => {
			const parsed = resumeSchema.safeParse(request);
			sendFrom(socket, parsed.success ? parsed.data : null);
		});
	});

	/** The deltas after sinceSeq when still held in this epoch, else a snapshot. */
	function sendFrom(
		socket: Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>,
		resume: z.infer<typeof resumeSchema> | null
	) {
		const stream = socket.data.stream;
		const missed =
			resume && resume.epoch === deps.streams.epoch ? stream.since(resume.sinceSeq) : null;
		if (missed) for (const delta of missed) socket.emit('delta', delta);
		else socket.emit('snapshot', deps.streams.snapshot(stream, now()));
	}

	let timer: NodeJS.Timeout | undefined;
	const tick = () => {
		const started = performance.now();
		try {
			// Local: each node numbers its own deltas for its own clients (other nodes build
			// theirs from the same changes); the adapter must not forward these.
			for (const { stream, delta } of deps.streams.tick(now()))
				io.local.to(stream.room).emit('delta', delta);
			deps.onTick?.((performance.now() - started) / 1000);
		} catch (error) {
			deps.log.error({ err: error }, 'delta tick failed');
		}
		timer = setTimeout(tick, deps.intervalMs);
	};
	timer = setTimeout(tick, deps.intervalMs);

	/**
	 * Disconnect every socket whose token or session is no longer good (revoked, expired,
	 * its person disabled). Two queries per run, however many sockets share a credential.
	 * Runs one at a time; a call made during a run gets a run that starts after it.
	 */
	let closed = false;
	let running: Promise<void> = Promise.resolve();
	let queued: Promise<void> | null = null;
	const checkCredentials = async () => {
		const sockets = [...io.sockets.sockets.values()].filter((s) => s.data.credential);
		if (sockets.length === 0) return;
		const valid = await deps.auth.stillValid(
			sockets.map((s) => s.data.credential),
			now()
		);
		for (const socket of sockets) {
			if (!valid.has(credentialKey(socket.data.credential))) socket.disconnect(true);
		}
	};
	const recheck = (): Promise<void> => {
		queued ??= running
			.catch(() => {}) // the earlier run's failure was reported to its own caller
			.then(() => {
				queued = null;
				running = checkCredentials();
				return running;
			});
		return queued;
	};
	let recheckTimer: NodeJS.Timeout | undefined;
	const recheckLoop = () => {
		recheck()
			.catch((error) => deps.log.error({ err: error }, 'socket credential check failed'))
			.finally(() => {
				if (!closed) recheckTimer = setTimeout(recheckLoop, deps.recheckMs ?? 5000);
			});
	};
	recheckTimer = setTimeout(recheckLoop, deps.recheckMs ?? 5000);

	return {
		io,
		/** Check every socket's credential now (after a token or session was revoked). */
		recheck,
		/** Send every client a fresh snapshot (after the live state was reloaded). */
		resync() {
			const streams = new Set<DeltaStream>();
			for (const socket of io.sockets.sockets.values()) {
				socket.data.stream = streamOf(socket.data.principal);
				void socket.join(socket.data.stream.room);
				streams.add(socket.data.stream);
			}
			// One snapshot per stream, encoded once for all its sockets.
			for (const stream of streams)
				io.local.to(stream.room).emit('snapshot', deps.streams.snapshot(stream, now()));
		},
		async close() {
			closed = true;
			clearTimeout(timer);
			clearTimeout(recheckTimer);
			await io.close();
		}
	};
}

export type Realtime = ReturnType<typeof attachRealtime>;
