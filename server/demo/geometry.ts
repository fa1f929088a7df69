import { Delaunay } from 'd3-delaunay';
// Default import: the builds export only a default object, whatever the types declare.
import polygonClipping, { type Polygon as ClipPolygon } from 'polygon-clipping';
import type { DemoDistrict } from './districts';

export type Position = [number, number];
export type Ring = Position[];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Ring[] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Ring[][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface DistrictFeature {
	type: 'Feature';
	properties: { code: string; name: string; approximate: true };
	geometry: AreaGeometry;
}

export interface DistrictFeatureCollection {
	type: 'FeatureCollection';
	features: DistrictFeature[];
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

/**
 * Approximate district boundaries: the Voronoi cell of each headquarters, clipped to the
 * state's outline. `extraSeeds` (by district code) adds more points a district owns, such
 * as its principal towns; the district then gets the union of their cells, which follows
 * the real boundaries much better than headquarters alone. Coordinates rounded to 4
 * decimals (about 10 m).
 */
export function approximateDistrictGeometry(
	districts: DemoDistrict[],
	outline: Ring,
	extraSeeds: Record<string, Position[]> = {}
): DistrictFeatureCollection {
	const seeds: { at: Position; owner: number }[] = [];
	const seen = new Set<string>();
	districts.forEach((d, owner) => {
		for (const at of [d.hq, ...(extraSeeds[d.code] ?? [])]) {
			// A repeated point has no cell of its own; the first owner keeps it.
			const key = `${at[0]},${at[1]}`;
			if (seen.has(key)) continue;
			seen.add(key);
			seeds.push({ at, owner });
		}
	});

	const [minX, minY, maxX, maxY] = bbox(outline);
	const voronoi = Delaunay.from(seeds.map((s) => s.at)).voronoi([
		minX - 1,
		minY - 1,
		maxX + 1,
		maxY + 1
	]);
	const cellsByDistrict: ClipPolygon[][] = districts.map(() => []);
	seeds.forEach((s, i) => {
		const cell = voronoi.cellPolygon(i);
		if (cell) cellsByDistrict[s.owner].push([cell.map(([x, y]) => [x, y] as Position)]);
	});

	const clip: ClipPolygon = [outline];
	const features = districts.map((d, i): DistrictFeature => {
		const [first, ...rest] = cellsByDistrict[i];
		// No cell only if every seed of the district repeats another district's.
		const area = first
			? polygonClipping.intersection(clip, polygonClipping.union(first, ...rest))
			: [];
		// Rounding can collapse a sliver to fewer than 4 points: drop such rings.
		const polygons = area
			.map((polygon) => polygon.map(roundRing))
			.filter(([outer]) => outer.length >= 4)
			.map(([outer, ...holes]) => [outer, ...holes.filter((h) => h.length >= 4)]);
		const geometry: AreaGeometry =
			polygons.length === 1
				? { type: 'Polygon', coordinates: polygons[0] }
				: { type: 'MultiPolygon', coordinates: polygons };
		return {
			type: 'Feature',
			properties: { code: d.code, name: d.name, approximate: true },
			geometry
		};
	});
	return { type: 'FeatureCollection', features };
}

/** Round to 4 decimals and drop the repeated vertices rounding creates; keeps the ring closed. */
function roundRing(ring: Ring): Ring {
	const out: Ring = [];
	for (const [x, y] of ring) {
		const p: Position = [round4(x), round4(y)];
		const last = out[out.length - 1];
		if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
	}
	const first = out[0];
	const last = out[out.length - 1];
	if (first && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
	return out;
}

export function bbox(ring: Ring): [number, number, number, number] {
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const [x, y] of ring) {
		minX = Math.min(minX, x);
		minY = Math.min(minY, y);
		maxX = Math.max(maxX, x);
		maxY = Math.max(maxY, y);
	}
	return [minX, minY, maxX, maxY];
}

function polygonsOf(geometry: AreaGeometry): Ring[][] {
	return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Even-odd ray casting on one ring. */
function inRing([x, y]: Position, ring: Ring): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Whether a point lies inside a Polygon or MultiPolygon (holes respected). */
export function pointInGeometry(point: Position, geometry: AreaGeometry): boolean {
	return polygonsOf(geometry).some(
		([outer, ...holes]) => inRing(point, outer) && !holes.some((h) => inRing(point, h))
	);
}

/** Signed planar area of a ring in square degrees: positive when counter-clockwise. */
export function ringArea(ring: Ring): number {
	let sum = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
	}
	return sum / 2;
}

/** Planar area in square degrees; for comparing shapes, not for reporting. */
export function geometryArea(geometry: AreaGeometry): number {
	return polygonsOf(geometry).reduce(
		(sum, [outer, ...holes]) =>
			sum + Math.abs(ringArea(outer)) - holes.reduce((s, h) => s + Math.abs(ringArea(h)), 0),
		0
	);
}

export function geometryBbox(geometry: AreaGeometry): [number, number, number, number] {
	return bbox(polygonsOf(geometry).flatMap(([outer]) => outer));
}
