import { scopeOf } from '../../../src/lib/server/auth/policy';
import { reviewCsv } from '../../../src/lib/server/review/csv';
import { readReviewRows, ReviewRequestError } from '../../../src/lib/server/review/read';
import { parseReviewParams } from '../../../src/lib/shared/review-params';
import { localDate } from '../../../src/lib/shared/time';
import type { Route } from '../context';
import { HttpError, sendJson } from '../respond';

/**
 * Whether the caller prefers CSV: `?format=csv` (for links), or an Accept header that
 * ranks text/csv above JSON. Anything else gets JSON.
 */
export function wantsCsv(accept: string | undefined, format: string | null): boolean {
	if (format) return format.toLowerCase() === 'csv';
	if (!accept) return false;
	let csv = -1;
	let json = -1;
	for (const part of accept.split(',')) {
		const [type, ...options] = part.trim().toLowerCase().split(';');
		const qOption = options.map((o) => o.trim()).find((o) => o.startsWith('q='));
		const q = qOption ? Number(qOption.slice(2)) : 1;
		if (!Number.isFinite(q)) continue;
		if (type === 'text/csv') csv = Math.max(csv, q);
		else if (type === 'application/json' || type === '*/*' || type === 'application/*') {
			json = Math.max(json, q);
		}
	}
	return csv > 0 && csv > json;
}

export const reviewRoutes: Route[] = [
	{
		method: 'GET',
		path: '/api/v1/review',
		async handle({ req, res, url, services, authorise }) {
			const principal = await authorise('review.read');
			const timeZone = services.config.APP_TIMEZONE;
			const now = new Date();
			const parsed = parseReviewParams(url.searchParams, localDate(now, timeZone));
			if (!parsed.ok) throw new HttpError(400, parsed.problems.join('; '));
			let rows;
			try {
				rows = await readReviewRows(services.handle.db, {
					params: parsed.params,
					scope: scopeOf(principal),
					timeZone,
					now
				});
			} catch (e) {
				if (e instanceof ReviewRequestError) throw new HttpError(e.status, e.message);
				throw e;
			}
			if (!wantsCsv(req.headers.accept, url.searchParams.get('format'))) {
				sendJson(res, 200, rows);
				return;
			}
			const body = reviewCsv(rows);
			const { from, to } = parsed.params;
			res.writeHead(200, {
				'content-type': 'text/csv; charset=utf-8',
				'content-length': Buffer.byteLength(body),
				'content-disposition': `attachment; filename="review-${from}-to-${to}.csv"`,
				'cache-control': 'no-store',
				vary: 'Accept'
			});
			res.end(body);
		}
	}
];
