/**
 * Official district boundaries from a GeoJSON file: read the features, match them to the
 * districts the product holds (by census code, else by name with spelling variants
 * forgiven), and simplify their geometry for the browser. Pure functions; the admin
 * command (server/admin/commands/import-boundaries.ts) does the reading and writing.
 */
import { simplify } from '@turf/simplify';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type DistrictGeometry = Polygon | MultiPolygon;

/** A district the product holds. */
export interface DistrictRef {
	code: string;
	name: string;
	state: string;
}

/** One feature of the file, with the properties that matter here. */
export interface BoundaryFeature {
	/** Position in the file, from 0. */
	index: number;
	name: string | null;
	code: string | null;
	state: string | null;
	geometry: DistrictGeometry | null;
	/** Why the geometry cannot be used (null when it can). */
	problem: string | null;
}

export interface BoundaryFile {
	features: BoundaryFeature[];
	/** The property names read, as found in the file (null: none). */
	nameProperty: string | null;
	codeProperty: string | null;
	stateProperty: string | null;
}

export class BoundaryFileError extends Error {}

/** Property names tried, in order, when the caller does not name one (any case). */
const NAME_PROPERTIES = [
	'district',
	'district_name',
	'dist_name',
	'dtname',
	'distname',
	'name_2',
	'name'
];
const CODE_PROPERTIES = [
	'code',
	'censuscode',
	'census_code',
	'censuscode2011',
	'dtcode11',
	'dt_code',
	'dist_code',
	'district_code',
	'dtcode'
];
const STATE_PROPERTIES = ['state', 'st_nm', 'state_name', 'stname', 'name_1'];

/** The property of `props` called `name`, whatever its case. */
function propertyKey(props: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	return Object.keys(props).find((k) => k.toLowerCase() === wanted);
}

function scalar(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() || null;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/**
 * Parse a GeoJSON FeatureCollection of district polygons in WGS84 longitude/latitude.
 * A file that is not one (or is in projected coordinates) throws BoundaryFileError; a
 * single unusable feature is kept with its problem, to be reported, not to fail the rest.
 */
export function readBoundaryFile(
	text: string,
	options: { nameProperty?: string; codeProperty?: string } = {}
): BoundaryFile {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (error) {
		throw new BoundaryFileError(`not JSON: ${(error as Error).message}`);
	}
	const collection = doc as { type?: unknown; features?: unknown; crs?: unknown };
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw new BoundaryFileError('not a GeoJSON FeatureCollection');
	}
	const crs = JSON.stringify(collection.crs ?? '');
	if (collection.crs && !/CRS84|4326/i.test(crs)) {
		throw new BoundaryFileError(
			`coordinates are in ${crs}; convert the file to WGS84 longitude/latitude (EPSG:4326) first`
		);
	}
	const raw = collection.features as { properties?: unknown; geometry?: unknown }[];
	const allProps = raw.map((f) =>
		f && typeof f.properties === 'object' && f.properties !== null
			? (f.properties as Record<string, unknown>)
			: {}
	);

	const pick = (asked: string | undefined, candidates: string[], what: string) => {
		if (asked) {
			const found = allProps.map((p) => propertyKey(p, asked)).find((k) => k !== undefined);
			if (!found) throw new BoundaryFileError(`no feature has a property "${asked}" (${what})`);
			return found;
		}
		for (const candidate of candidates) {
			const found = allProps.map((p) => propertyKey(p, candidate)).find((k) => k !== undefined);
			if (found) return found;
		}
		return null;
	};
	const nameProperty = pick(options.nameProperty, NAME_PROPERTIES, '--name-property');
	const codeProperty = pick(options.codeProperty, CODE_PROPERTIES, '--code-property');
	const stateProperty = pick(undefined, STATE_PROPERTIES, 'state');
	if (!nameProperty && !codeProperty) {
		throw new BoundaryFileError(
			'the features have no district name or code property; name them with --name-property P or --code-property C'
		);
	}

	const features = raw.map((f, index): BoundaryFeature => {
		const props = allProps[index];
		const read = (key: string | null) => (key ? scalar(props[key]) : null);
		const checked = checkGeometry(f?.geometry);
		return {
			index,
			name: read(nameProperty),
			code: read(codeProperty),
			state: read(stateProperty),
			geometry: checked.geometry,
			problem: checked.problem
		};
	});

	const outOfRange = features.find((f) => f.problem?.startsWith('coordinates out of range'));
	if (outOfRange) {
		throw new BoundaryFileError(
			`feature ${outOfRange.index} has coordinates outside longitude/latitude (${outOfRange.problem}); the file looks projected: convert it to WGS84 (EPSG:4326) first`
		);
	}
	return { features, nameProperty, codeProperty, stateProperty };
}

function isPosition(p: unknown): p is Position {
	return (
		Array.isArray(p) &&
		p.length >= 2 &&
		typeof p[0] === 'number' &&
		typeof p[1] === 'number' &&
		Number.isFinite(p[0]) &&
		Number.isFinite(p[1])
	);
}

/** Rings closed, at least four positions each, in longitude/latitude range. */
function checkGeometry(geometry: unknown): {
	geometry: DistrictGeometry | null;
	problem: string | null;
} {
	const g = geometry as { type?: unknown; coordinates?: unknown } | null;
	if (!g || typeof g !== 'object') return { geometry: null, problem: 'no geometry' };
	if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
		return { geometry: null, problem: `geometry is a ${String(g.type)}, not a Polygon` };
	}
	const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
	if (!Array.isArray(polygons)) return { geometry: null, problem: 'no coordinates' };
	const cleaned: Position[][][] = [];
	for (const polygon of polygons) {
		if (!Array.isArray(polygon) || polygon.length === 0) continue;
		const rings: Position[][] = [];
		for (const [i, ring] of (polygon as unknown[]).entries()) {
			if (!Array.isArray(ring) || !ring.every(isPosition)) {
				return { geometry: null, problem: 'a ring has positions that are not [lon, lat]' };
			}
			const bad = (ring as Position[]).find((p) => Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90);
			if (bad)
				return { geometry: null, problem: `coordinates out of range: [${bad[0]}, ${bad[1]}]` };
			const closed = closeRing((ring as Position[]).map((p) => [p[0], p[1]]));
			if (closed.length < 4) {
				// A degenerate outer ring drops its polygon; a degenerate hole is dropped alone.
				if (i === 0) break;
				continue;
			}
			rings.push(closed);
		}
		if (rings.length > 0) cleaned.push(rings);
	}
	if (cleaned.length === 0) return { geometry: null, problem: 'no polygon with an area' };
	return {
		geometry:
			cleaned.length === 1
				? { type: 'Polygon', coordinates: cleaned[0] }
				: { type: 'MultiPolygon', coordinates: cleaned },
		problem: null
	};
}

function closeRing(ring: Position[]): Position[] {
	const out: Position[] = [];
	for (const p of ring) {
		const last = out.at(-1);
		if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
	}
	if (out.length > 0) {
		const first = out[0];
		const last = out.at(-1)!;
		if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
	}
	return out;
}

// ---- names ---------------------------------------------------------------------------

/** Case, accents, spacing, punctuation and a trailing "district" forgiven. */
export function districtNameKey(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/&/g, 'and')
		.replace(/\b(district|dist|zila|zilla|jilha)\b\.?/g, '')
		.replace(/[^a-z0-9]+/g, '');
}

/**
 * Census 2011 spellings beside the ones in common use, and later renamings, for the
 * states the product has been run in. Each group is one district; keys as districtNameKey
 * gives them. Join on code whenever the file has one: this is for files that do not.
 */
const VARIANT_GROUPS: string[][] = [
	// Maharashtra
	['ahmadnagar', 'ahmednagar', 'ahilyanagar'],
	['bid', 'beed'],
	['buldana', 'buldhana'],
	['garhchiroli', 'gadchiroli'],
	['gondiya', 'gondia'],
	['raigarh', 'raigad', 'kolaba'],
	['aurangabad', 'chhatrapatisambhajinagar', 'sambhajinagar'],
	['osmanabad', 'dharashiv'],
	['mumbai', 'mumbaicity', 'greatermumbai', 'bombay'],
	['mumbaisuburban', 'mumbaisuburbs', 'bombaysuburban'],
	['yavatmal', 'yeotmal'],
	['pune', 'poona'],
	['nashik', 'nasik'],
	['solapur', 'sholapur'],
	['thane', 'thana'],
	['sindhudurg', 'sindhudurga'],
	// Bihar
	['pashchimchamparan', 'westchamparan', 'paschimchamparan'],
	['purbachamparan', 'eastchamparan', 'purvichamparan', 'purbichamparan'],
	['kaimurbhabua', 'kaimur', 'bhabua'],
	['saranchhapra', 'saran', 'chhapra'],
	['purnia', 'purnea'],
	['monghyr', 'munger'],
	// West Bengal
	['darjiling', 'darjeeling'],
	['haora', 'howrah'],
	['hugli', 'hooghly'],
	['kochbihar', 'coochbehar', 'kochbehar'],
	['maldah', 'malda'],
	['puruliya', 'purulia'],
	['barddhaman', 'bardhaman', 'burdwan'],
	['paschimmedinipur', 'westmidnapore', 'paschimmidnapore', 'westmedinipur'],
	['purbamedinipur', 'eastmidnapore', 'purbamidnapore', 'eastmedinipur'],
	['north24parganas', 'northtwentyfourparganas', 'uttar24parganas'],
	['south24parganas', 'southtwentyfourparganas', 'dakshin24parganas'],
	['dakshindinajpur', 'southdinajpur'],
	['uttardinajpur', 'northdinajpur'],
	['kolkata', 'calcutta'],
	// Chhattisgarh
	['kabeerdham', 'kabirdham', 'kawardha'],
	['uttarbastarkanker', 'kanker', 'northbastarkanker'],
	['dakshinbastardantewada', 'dantewada', 'southbastardantewada']
];

const variantOf = new Map<string, number>();
VARIANT_GROUPS.forEach((group, i) => group.forEach((key) => variantOf.set(key, i)));

/**
 * A looser key for the last attempt: long vowels, aspirates, doubled letters and v/w
 * written differently ("Buldhana"/"Buldana", "Beed"/"Bid", "Gondia"/"Gondiya").
 */
export function looseNameKey(name: string): string {
	return districtNameKey(name)
		.replace(/([bcdgjkpt])h/g, '$1')
		.replace(/sh/g, 's')
		.replace(/ee/g, 'i')
		.replace(/oo/g, 'u')
		.replace(/y/g, 'i')
		.replace(/w/g, 'v')
		.replace(/z/g, 'j')
		.replace(/(.)\1+/g, '$1');
}

/** The name, and the parts of "Kaimur (Bhabua)" or "Bid / Beed", each tried. */
function nameForms(name: string): string[] {
	const forms = [name];
	const paren = /^(.*?)\((.*?)\)(.*)$/.exec(name);
	if (paren) forms.push(`${paren[1]}${paren[3]}`, paren[2]);
	if (name.includes('/')) forms.push(...name.split('/'));
	return forms.map((f) => f.trim()).filter((f) => f !== '');
}

function sameCode(a: string, b: string): boolean {
	if (a === b) return true;
	return /^\d+$/.test(a) && /^\d+$/.test(b) && Number(a) === Number(b);
}

// ---- matching ------------------------------------------------------------------------

export type MatchedBy = 'code' | 'name' | 'variant' | 'loose';

export interface BoundaryMatch {
	district: DistrictRef;
	feature: BoundaryFeature;
	by: MatchedBy;
}

export interface UnmatchedFeature {
	feature: BoundaryFeature;
	why: string;
}

export interface MatchReport {
	matched: BoundaryMatch[];
	unmatchedFeatures: UnmatchedFeature[];
	/** Districts the file has no usable boundary for. */
	unmatchedDistricts: DistrictRef[];
}

/**
 * Match each feature to at most one district and each district to at most one feature:
 * by code first, then by name, then by a known spelling variant, then by the loose key
 * when that points at exactly one district. A feature whose state property names another
 * state never matches by name (Aurangabad is a district of Bihar and of Maharashtra).
 */
export function matchBoundaries(
	features: BoundaryFeature[],
	districts: DistrictRef[]
): MatchReport {
	const taken = new Map<string, BoundaryFeature>();
	const matchOf = new Map<number, BoundaryMatch>();
	const unmatched: UnmatchedFeature[] = [];
	const usable: BoundaryFeature[] = [];
	for (const f of features) {
		if (f.problem) unmatched.push({ feature: f, why: f.problem });
		else usable.push(f);
	}

	const sameState = (f: BoundaryFeature, d: DistrictRef) =>
		!f.state || !d.state || looseNameKey(f.state) === looseNameKey(d.state);

	const claim = (f: BoundaryFeature, d: DistrictRef, by: MatchedBy) => {
		taken.set(d.code, f);
		matchOf.set(f.index, { district: d, feature: f, by });
	};

	// 1. Codes.
	for (const f of usable) {
		if (!f.code) continue;
		const d = districts.find((x) => sameCode(x.code, f.code!));
		if (!d) continue;
		if (taken.has(d.code)) continue; // reported below as a second feature for one district
		claim(f, d, 'code');
	}

	// 2–4. Names, from the strictest key to the loosest.
	const keyers: [MatchedBy, (name: string) => string | number | undefined][] = [
		['name', districtNameKey],
		['variant', (n) => variantOf.get(districtNameKey(n))],
		['loose', looseNameKey]
	];
	for (const [by, keyOf] of keyers) {
		const byKey = new Map<string | number, DistrictRef[]>();
		for (const d of districts) {
			if (taken.has(d.code)) continue;
			for (const form of nameForms(d.name)) {
				const key = keyOf(form);
				if (key === undefined || key === '') continue;
				const list = byKey.get(key) ?? [];
				if (!list.includes(d)) list.push(d);
				byKey.set(key, list);
			}
		}
		for (const f of usable) {
			if (matchOf.has(f.index) || !f.name) continue;
			const candidates = new Set<DistrictRef>();
			for (const form of nameForms(f.name)) {
				const key = keyOf(form);
				if (key === undefined || key === '') continue;
				for (const d of byKey.get(key) ?? []) if (sameState(f, d)) candidates.add(d);
			}
			const free = [...candidates].filter((d) => !taken.has(d.code));
			if (free.length === 1) claim(f, free[0], by);
		}
	}

	for (const f of usable) {
		if (matchOf.has(f.index)) continue;
		unmatched.push({ feature: f, why: whyUnmatched(f, districts, taken) });
	}
	const matched = [...matchOf.values()].sort((a, b) =>
		a.district.code.localeCompare(b.district.code)
	);
	return {
		matched,
		unmatchedFeatures: unmatched.sort((a, b) => a.feature.index - b.feature.index),
		unmatchedDistricts: districts
			.filter((d) => !taken.has(d.code))
			.sort((a, b) => a.code.localeCompare(b.code))
	};
}

function whyUnmatched(
	f: BoundaryFeature,
	districts: DistrictRef[],
	taken: Map<string, BoundaryFeature>
): string {
	const byCode = f.code ? districts.find((d) => sameCode(d.code, f.code!)) : undefined;
	if (byCode && taken.has(byCode.code)) {
		return `district ${byCode.code} ${byCode.name} already has feature ${taken.get(byCode.code)!.index}`;
	}
	if (
		f.state &&
		districts.length > 0 &&
		districts.every((d) => d.state && looseNameKey(d.state) !== looseNameKey(f.state!))
	) {
		return `state ${f.state} is not one the product holds`;
	}
	if (!f.name && !f.code) return 'no name or code';
	return 'no district with this code or name';
}

// ---- simplification --------------------------------------------------------------------

/** Default tolerance in degrees (about 110 m at India's latitudes): plenty for a state map. */
export const DEFAULT_TOLERANCE = 0.001;
/** Decimal places kept (about 1 m). */
const PRECISION = 5;

export function countPositions(geometry: DistrictGeometry): number {
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	let n = 0;
	for (const polygon of polygons) for (const ring of polygon) n += ring.length;
	return n;
}

function roundRing(ring: Position[]): Position[] {
	const f = 10 ** PRECISION;
	return closeRing(ring.map((p) => [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f]));
}

/**
 * Fewer vertices for the browser, never fewer districts: every ring stays a closed ring
 * of at least four positions (turf lowers the tolerance for a ring that would collapse,
 * and a ring that rounding collapses keeps its unsimplified form).
 */
export function simplifyBoundary(
	geometry: DistrictGeometry,
	tolerance = DEFAULT_TOLERANCE
): DistrictGeometry {
	const simplified =
		tolerance > 0
			? (simplify(geometry, { tolerance, highQuality: true }) as DistrictGeometry)
			: geometry;
	const original = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	const polygons =
		simplified.type === 'Polygon' ? [simplified.coordinates] : simplified.coordinates;
	const out = polygons.map((polygon, i) =>
		polygon
			.map((ring, j) => {
				const rounded = roundRing(ring);
				return rounded.length >= 4 ? rounded : closeRing(original[i][j]);
			})
			.filter((ring) => ring.length >= 4)
	);
	return out.length === 1
		? { type: 'Polygon', coordinates: out[0] }
		: { type: 'MultiPolygon', coordinates: out };
}

/** [west, south, east, north] of a geometry. */
export function boundsOf(geometry: DistrictGeometry): [number, number, number, number] {
	let w = Infinity;
	let s = Infinity;
	let e = -Infinity;
	let n = -Infinity;
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	for (const polygon of polygons)
		for (const [lon, lat] of polygon[0]) {
			if (lon < w) w = lon;
			if (lon > e) e = lon;
			if (lat < s) s = lat;
			if (lat > n) n = lat;
		}
	return [w, s, e, n];
}

/** Whether [lon, lat] is inside a ring (even-odd rule). */
function inRing(point: Position, ring: Position[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (
			yi > point[1] !== yj > point[1] &&
			point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi
		)
			inside = !inside;
	}
	return inside;
}

export function containsPoint(geometry: DistrictGeometry, point: Position): boolean {
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	return polygons.some(
		(polygon) => inRing(point, polygon[0]) && !polygon.slice(1).some((hole) => inRing(point, hole))
	);
}

function ringArea(ring: Position[]): number {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	}
	return a / 2;
}

/** Distance from a point to the nearest edge of a polygon's rings (degrees, flat). */
function edgeDistance(point: Position, polygon: Position[][]): number {
	let best = Infinity;
	for (const ring of polygon) {
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [ax, ay] = ring[j];
			const [bx, by] = ring[i];
			const dx = bx - ax;
			const dy = by - ay;
			const len = dx * dx + dy * dy;
			const t =
				len === 0
					? 0
					: Math.max(0, Math.min(1, ((point[0] - ax) * dx + (point[1] - ay) * dy) / len));
			const d = Math.hypot(point[0] - (ax + t * dx), point[1] - (ay + t * dy));
			if (d < best) best = d;
		}
	}
	return best;
}

/** The inside point of a grid over [w, s, e, n] farthest from the polygon's edges. */
function deepestOnGrid(
	polygon: Position[][],
	[w, s, e, n]: [number, number, number, number],
	steps: number
): { at: Position; depth: number } | null {
	let found: { at: Position; depth: number } | null = null;
	for (let i = 0; i <= steps; i++) {
		for (let j = 0; j <= steps; j++) {
			const p: Position = [w + ((e - w) * i) / steps, s + ((n - s) * j) / steps];
			if (!inRing(p, polygon[0]) || polygon.slice(1).some((hole) => inRing(p, hole))) continue;
			const depth = edgeDistance(p, polygon);
			if (!found || depth > found.depth) found = { at: p, depth };
		}
	}
	return found;
}

/**
 * Where a district's name goes: the point of its largest polygon farthest from the edges
 * (searched on a grid, then on a finer grid around the best cell), where the label has
 * room and is not on top of the headquarters' cluster of sites. The headquarters, or the
 * first vertex, when the shape is too thin for the grid to land inside.
 */
export function labelPoint(geometry: DistrictGeometry, hq: Position | null): Position {
	const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	const largest = polygons.reduce((a, b) =>
		Math.abs(ringArea(b[0])) > Math.abs(ringArea(a[0])) ? b : a
	);
	const [w, s, e, n] = boundsOf({ type: 'Polygon', coordinates: largest });
	const steps = 24;
	const coarse = deepestOnGrid(largest, [w, s, e, n], steps);
	if (!coarse) return hq && containsPoint(geometry, hq) ? hq : largest[0][0];
	const cw = (e - w) / steps;
	const ch = (n - s) / steps;
	const [x, y] = coarse.at;
	const fine = deepestOnGrid(largest, [x - cw, y - ch, x + cw, y + ch], 8);
	const best = fine && fine.depth > coarse.depth ? fine.at : coarse.at;
	const round = (v: number) => Math.round(v * 1e4) / 1e4;
	return [round(best[0]), round(best[1])];
}
