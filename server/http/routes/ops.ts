import { refreshScrapeGauges } from '../../metrics';
import type { Route } from '../context';
import { sendJson } from '../respond';

/** Probes and metrics: no credentials (they say nothing about people or sites). */
export const opsRoutes: Route[] = [
	{
		method: 'GET',
		path: '/healthz',
		async handle({ res }) {
			sendJson(res, 200, { ok: true });
		}
	},
	{
		method: 'GET',
		path: '/readyz',
		async handle({ res, services }) {
			const ready = await services.ready();
			sendJson(res, ready.ok ? 200 : 503, ready);
		}
	},
	{
		method: 'GET',
		path: '/metrics',
		async handle({ res, services }) {
			const { metrics } = services;
			await refreshScrapeGauges(metrics, {
				handle: services.handle,
				socketCount: () => services.socketCount(),
				ingestWaiting: () => services.ingest.pending
			});
			const body = await metrics.registry.metrics();
			res.writeHead(200, { 'content-type': metrics.registry.contentType });
			res.end(body);
		}
	}
];
