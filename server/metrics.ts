import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DbHandle } from '../src/lib/server/db/client';
import {
	countPendingQuarantine,
	databaseConnectionsByState
} from '../src/lib/server/db/queries/health';

/** The product's own health in Prometheus form (GET /metrics). */
export function createMetrics() {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'cc_' });
	return {
		registry,
		ingestItems: new Counter({
			name: 'cc_ingest_items_total',
			help: 'Feed items by feed and outcome',
			labelNames: ['feed', 'outcome'] as const,
			registers: [registry]
		}),
		batchSize: new Histogram({
			name: 'cc_ingest_batch_items',
			help: 'Items written per transaction',
			labelNames: ['feed'] as const,
			buckets: [1, 10, 100, 500, 1000, 2000, 5000],
			registers: [registry]
		}),
		commitSeconds: new Histogram({
			name: 'cc_ingest_commit_seconds',
			help: 'Time to write and commit one batch',
			labelNames: ['feed'] as const,
			buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers: [registry]
		}),
		socketClients: new Gauge({
			name: 'cc_socket_clients',
			help: 'Connected Socket.IO clients',
			registers: [registry]
		}),
		deltaFanoutSeconds: new Histogram({
			name: 'cc_delta_fanout_seconds',
			help: 'Time to build and emit one tick of deltas',
			buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
			registers: [registry]
		}),
		quarantinePending: new Gauge({
			name: 'cc_quarantine_pending',
			help: 'Quarantined feed items not yet replayed',
			registers: [registry]
		}),
		ingestWaiting: new Gauge({
			name: 'cc_ingest_waiting_requests',
			help: 'Feed requests waiting for a database transaction (all feeds)',
			registers: [registry]
		}),
		databaseUp: new Gauge({
			name: 'cc_database_up',
			help: '1 when the database answered at this scrape, else 0',
			registers: [registry]
		}),
		databasePingSeconds: new Gauge({
			name: 'cc_database_ping_seconds',
			help: 'Time for the database to answer a trivial query at this scrape',
			registers: [registry]
		}),
		databasePoolMax: new Gauge({
			name: 'cc_database_pool_max',
			help: 'Connections this process may open (1 for the embedded database)',
			registers: [registry]
		}),
		databaseConnections: new Gauge({
			name: 'cc_database_connections',
			help: 'Connections to this database by state, all clients (PostgreSQL only)',
			labelNames: ['state'] as const,
			registers: [registry]
		}),
		probeChecks: new Counter({
			name: 'cc_probe_checks_total',
			help: 'Built-in health probe checks by target and resulting status',
			labelNames: ['target', 'status'] as const,
			registers: [registry]
		}),
		probeLatencySeconds: new Histogram({
			name: 'cc_probe_latency_seconds',
			help: 'Latency of answered built-in health probe checks',
			labelNames: ['target'] as const,
			buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
			registers: [registry]
		}),
		leader: new Gauge({
			name: 'cc_leader',
			help: '1 while this node holds the leader lock (runs detectors, probes, the simulator)',
			registers: [registry]
		}),
		rebuildSeconds: new Gauge({
			name: 'cc_live_rebuild_seconds',
			help: 'Time the last rebuild of the live state from the database took',
			registers: [registry]
		}),
		healthIncidentsOpen: new Gauge({
			name: 'cc_health_incidents_open',
			help: 'Health incidents open (national server, gateways, this product)',
			registers: [registry]
		})
	};
}

export type Metrics = ReturnType<typeof createMetrics>;

export interface ScrapeSources {
	handle: DbHandle;
	socketCount(): number;
	/** Feed requests waiting for a transaction. */
	ingestWaiting(): number;
}

/**
 * Gauges read at scrape time. A database that does not answer is reported (up 0), not an
 * error: /metrics must keep working when the database is the problem.
 */
export async function refreshScrapeGauges(metrics: Metrics, sources: ScrapeSources): Promise<void> {
	const { handle } = sources;
	metrics.socketClients.set(sources.socketCount());
	metrics.ingestWaiting.set(sources.ingestWaiting());
	metrics.databasePoolMax.set(handle.poolMax);
	const started = performance.now();
	try {
		await handle.ping();
		metrics.databasePingSeconds.set((performance.now() - started) / 1000);
		metrics.databaseUp.set(1);
		metrics.quarantinePending.set(await countPendingQuarantine(handle.db));
		if (handle.kind === 'postgres') {
			metrics.databaseConnections.reset();
			for (const { state, count } of await databaseConnectionsByState(handle.db))
				metrics.databaseConnections.set({ state }, count);
		}
	} catch {
		// The answer is the metric itself: the database is not answering.
		metrics.databaseUp.set(0);
	}
}
