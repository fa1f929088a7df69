import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { scopeOf } from '../../../src/lib/server/auth/policy';
import {
	districtGeometryVersion,
	districtShapes
} from '../../../src/lib/server/db/queries/geography';
import { siteDetail } from '../../../src/lib/server/db/queries/throughput';
import { readDistrictThroughput, readSiteActivity } from '../../../src/lib/server/map/drilldown';
import type { DistrictFeatureProperties } from '../../../src/lib/shared/map';
import { labelPoint, type DistrictGeometry } from '../../geo/boundaries';
import type { Route } from '../context';
import { HttpError, sendJson } from '../respond';

type DistrictFeature = Feature<Polygon | MultiPolygon, DistrictFeatureProperties>;

function isDistrictGeometry(g: unknown): g is DistrictGeometry {
	const type = (g as { type?: unknown } | null)?.type;
	return (
		(type === 'Polygon' || type === 'MultiPolygon') && Array.isArray((g as Polygon).coordinates)
	);
}

/** Whether an If-None-Match header names this ETag (or *). */
function notModified(header: string | string[] | undefined, etag: string): boolean {
	if (!header) return false;
	const values = (Array.isArray(header) ? header.join(',') : header).split(',');
	return values.some((v) => {
		const t = v.trim();
		return t === '*' || t === etag || t === `W/${etag}`;
	});
}

/** The offline map's data: district shapes, the drill-down series, and the base style's URL. */
export const mapRoutes: Route[] = [
	{
		method: 'GET',
		path: '/api/v1/districts/geometry',
		async handle({ req, res, services, authorise }) {
			const scope = scopeOf(await authorise('snapshot.read'));
			const codes = scope.all ? null : scope.districts;
			const db = services.handle.db;
			// A fingerprint of the caller's districts: a district officer's collection has its own.
			const etag = `"${await districtGeometryVersion(db, codes)}"`;
			// Shapes change only when boundaries are imported: cached by the browser, revalidated.
			const caching = { etag, 'cache-control': 'private, no-cache', vary: 'Cookie, Authorization' };
			if (notModified(req.headers['if-none-match'], etag)) {
				res.writeHead(304, caching);
				res.end();
				return;
			}
			const features: DistrictFeature[] = [];
			for (const d of await districtShapes(db, codes)) {
				if (!isDistrictGeometry(d.geometry)) continue;
				const hq = d.hqLon !== null && d.hqLat !== null ? [d.hqLon, d.hqLat] : null;
				const [labelLon, labelLat] = labelPoint(d.geometry, hq);
				features.push({
					type: 'Feature',
					properties: {
						code: d.code,
						name: d.name,
						approximate: d.approximate,
						labelLon,
						labelLat
					},
					geometry: d.geometry
				});
			}
			const collection: FeatureCollection<Polygon | MultiPolygon, DistrictFeatureProperties> = {
				type: 'FeatureCollection',
				features
			};
			sendJson(res, 200, collection, { ...caching, 'content-type': 'application/geo+json' });
		}
	},
	{
		method: 'GET',
		path: '/api/v1/map/config',
		async handle({ res, services, authorise }) {
			await authorise('snapshot.read');
			sendJson(res, 200, { styleUrl: services.config.MAP_STYLE_URL ?? null });
		}
	},
	{
		method: 'GET',
		path: '/api/v1/districts/:code/throughput',
		async handle({ res, params, services, authorise }) {
			await authorise('snapshot.read', { districtCode: params.code });
			const body = await readDistrictThroughput(services.handle.db, {
				code: params.code,
				now: new Date(),
				timeZone: services.config.APP_TIMEZONE
			});
			if (!body) throw new HttpError(404, `no such district: ${params.code}`);
			sendJson(res, 200, body);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sites/:code/activity',
		async handle({ res, params, services, authorise }) {
			const db = services.handle.db;
			const districtCode =
				services.live.siteDistrict(params.code) ??
				(await siteDetail(db, params.code))?.districtCode;
			if (!districtCode) {
				await authorise('snapshot.read');
				throw new HttpError(404, `no such site: ${params.code}`);
			}
			await authorise('snapshot.read', { districtCode });
			const body = await readSiteActivity(db, {
				code: params.code,
				now: new Date(),
				timeZone: services.config.APP_TIMEZONE,
				thresholds: {
					stallMinutes: services.config.STALL_MINUTES,
					startupGraceMinutes: services.config.STARTUP_GRACE_MINUTES
				}
			});
			if (!body) throw new HttpError(404, `no such site: ${params.code}`);
			sendJson(res, 200, body);
		}
	}
];
