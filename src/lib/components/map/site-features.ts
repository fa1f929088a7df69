/**
 * Sites as GeoJSON for the map, and what changed between two pictures of them: the map is
 * given only the changes (GeoJSONSource.updateData), never rebuilt. A feature carries only
 * what the map draws (code, status); everything else is read from the live store.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { SiteLive, SiteStatus } from '$lib/shared/live';

export interface SiteProps {
	code: string;
	status: SiteStatus;
}

interface Held {
	status: SiteStatus;
	lon: number;
	lat: number;
}

export type HeldSites = Map<string, Held>;

function located(s: SiteLive): s is SiteLive & { lat: number; lon: number } {
	return (
		typeof s.lat === 'number' &&
		typeof s.lon === 'number' &&
		Number.isFinite(s.lat) &&
		Number.isFinite(s.lon)
	);
}

function feature(s: SiteLive & { lat: number; lon: number }): Feature<Point, SiteProps> {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
		properties: { code: s.code, status: s.status }
	};
}

export function siteCollection(sites: SiteLive[]): FeatureCollection<Point, SiteProps> {
	return { type: 'FeatureCollection', features: sites.filter(located).map(feature) };
}

export function holdSites(sites: SiteLive[]): HeldSites {
	const held: HeldSites = new Map();
	for (const s of sites)
		if (located(s)) held.set(s.code, { status: s.status, lon: s.lon, lat: s.lat });
	return held;
}

export type SiteUpdate =
	| { kind: 'none' }
	| { kind: 'diff'; diff: GeoJSONSourceDiff; changed: number }
	| { kind: 'full'; data: FeatureCollection<Point, SiteProps>; changed: number };

/**
 * What to send the map so it shows `sites` when it shows `held`. A handful of changes go
 * as a diff; when most sites changed, the whole collection is cheaper to send.
 */
export function siteUpdate(held: HeldSites, sites: SiteLive[]): SiteUpdate {
	const add: Feature<Point, SiteProps>[] = [];
	const update: NonNullable<GeoJSONSourceDiff['update']> = [];
	const seen = new Set<string>();
	for (const s of sites) {
		if (!located(s)) continue;
		seen.add(s.code);
		const was = held.get(s.code);
		if (!was) {
			add.push(feature(s));
		} else if (was.lon !== s.lon || was.lat !== s.lat) {
			update.push({
				id: s.code,
				newGeometry: { type: 'Point', coordinates: [s.lon, s.lat] },
				addOrUpdateProperties: [{ key: 'status', value: s.status }]
			});
		} else if (was.status !== s.status) {
			update.push({ id: s.code, addOrUpdateProperties: [{ key: 'status', value: s.status }] });
		}
	}
	const remove: string[] = [];
	for (const code of held.keys()) if (!seen.has(code)) remove.push(code);
	const changed = add.length + update.length + remove.length;
	if (changed === 0) return { kind: 'none' };
	if (changed * 2 > seen.size) return { kind: 'full', data: siteCollection(sites), changed };
	return { kind: 'diff', diff: { add, update, remove }, changed };
}
