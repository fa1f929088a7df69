import pg from 'pg';
import type { Logger } from '../log';

/**
 * A pg client that never crashes the process. pg emits 'error' on a checked-out client
 * whose connection dies (PostgreSQL restarting, say); with no listener Node would throw.
 * The Socket.IO adapter keeps one such client for LISTEN and reconnects on its 'end'.
 */
function safeClient(log: Logger) {
	return class SafeClient extends pg.Client {
		constructor(config?: string | pg.ClientConfig) {
			super(config);
			// The message is enough: pg's errors carry the whole client along.
			this.on('error', (err) => log.warn({ error: err.message }, 'database connection lost'));
		}
	};
}

/** A small node-postgres pool for the Socket.IO adapter (node-postgres is what it takes). */
export function createClusterPool(url: string, log: Logger): pg.Pool {
	const pool = new pg.Pool({
		connectionString: url,
		max: 4,
		connectionTimeoutMillis: 5000,
		keepAlive: true,
		Client: safeClient(log)
	});
	// Idle clients that lose their connection are dropped by the pool; it only needs telling.
	pool.on('error', (err) => log.warn({ error: err.message }, 'idle database connection lost'));
	return pool;
}

/** One dedicated connection (the leader lock lives and dies with it). */
export function createClusterClient(url: string, log: Logger): pg.Client {
	const Client = safeClient(log);
	return new Client({
		connectionString: url,
		keepAlive: true,
		connectionTimeoutMillis: 5000,
		// A query on a connection that went silent fails instead of hanging.
		query_timeout: 5000
	});
}
