import { z } from 'zod';
import { scopeOf } from '../../../src/lib/server/auth/policy';
import {
	readHealthSummary,
	readStatusPage,
	readTimeline
} from '../../../src/lib/server/health/read';
import type { Route } from '../context';
import { HttpError, sendJson } from '../respond';

function query<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) {
		const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
		throw new HttpError(400, `bad query: ${why}`);
	}
	return parsed.data;
}

const summaryQuery = z.object({
	minutes: z.coerce.number().int().min(5).max(1440).default(60),
	target: z.string().min(1).max(200).optional()
});

const timelineQuery = z.object({
	hours: z.coerce.number().int().min(1).max(48).default(6)
});

/** The health panel's data, and the field status page for anyone (it names no person or site). */
export const healthRoutes: Route[] = [
	{
		method: 'GET',
		path: '/api/v1/health/summary',
		async handle({ res, url, services, authorise }) {
			await authorise('snapshot.read');
			const q = query(url, summaryQuery);
			sendJson(res, 200, await readHealthSummary(services.handle.db, { now: new Date(), ...q }));
		}
	},
	{
		method: 'GET',
		path: '/api/v1/health/timeline',
		async handle({ res, url, services, authorise }) {
			const scope = scopeOf(await authorise('snapshot.read'));
			const q = query(url, timelineQuery);
			const timeline = await readTimeline(services.handle.db, {
				now: new Date(),
				hours: q.hours,
				districts: scope.all ? undefined : scope.districts
			});
			sendJson(res, 200, timeline);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/status',
		async handle({ res, services }) {
			sendJson(res, 200, {
				at: new Date().toISOString(),
				components: await readStatusPage(services.handle.db)
			});
		}
	}
];
