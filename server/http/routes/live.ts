import { scopeOf } from '../../../src/lib/server/auth/policy';
import type { Route } from '../context';
import { sendJson } from '../respond';

export const liveRoutes: Route[] = [
	{
		method: 'GET',
		path: '/api/v1/snapshot',
		async handle({ res, services, authorise }) {
			const scope = scopeOf(await authorise('snapshot.read'));
			const stream = services.streams.streamFor(scope.all ? null : scope.districts);
			sendJson(res, 200, services.streams.snapshot(stream, new Date()));
		}
	}
];
