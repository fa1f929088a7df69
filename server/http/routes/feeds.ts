import type { FeedName } from '../../../src/lib/shared/feeds';
import { parseFeedBody } from '../../feeds/forms';
import { BodyError } from '../../feeds/parse';
import type { Route } from '../context';
import { HttpError, sendJson } from '../respond';

/** Feed endpoints (contract v1) and the feed each one writes. */
const feedPaths: Record<string, FeedName> = {
	'/api/v1/doses': 'doses',
	'/api/v1/sessions': 'sessions',
	'/api/v1/sms/messages': 'sms-messages',
	'/api/v1/sms/reports': 'sms-reports',
	'/api/v1/appointments': 'appointments',
	'/api/v1/heartbeats': 'heartbeats',
	'/api/v1/health': 'health'
};

export const feedRoutes: Route[] = Object.entries(feedPaths).map(([path, feed]) => ({
	method: 'POST',
	path,
	async handle({ req, res, services, authorise, body }) {
		// Known to be away: answer at once (tokens cannot be checked either) rather than let
		// the sender wait on a dead connection.
		if (!services.database.up) {
			throw new HttpError(503, 'database unavailable; retry', { 'retry-after': '5' });
		}
		await authorise('feed.ingest');
		const text = await body();
		const contentType = req.headers['content-type'] ?? 'application/json';
		let request;
		try {
			request = parseFeedBody(feed, text, contentType, { timeZone: services.config.APP_TIMEZONE });
		} catch (error) {
			if (error instanceof BodyError) throw new HttpError(400, error.message);
			throw error;
		}
		const result = await services.ingest.submit(feed, { ...request, quarantine: true });
		const counter = services.metrics.ingestItems;
		counter.inc({ feed, outcome: 'accepted' }, result.accepted);
		counter.inc({ feed, outcome: 'duplicate' }, result.duplicates);
		counter.inc({ feed, outcome: 'rejected' }, result.rejected.length);
		sendJson(res, 200, result);
	}
}));
