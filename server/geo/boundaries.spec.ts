import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maharashtraDistricts } from '../demo/districts';
import {
	BoundaryFileError,
	containsPoint,
	countPositions,
	districtNameKey,
	labelPoint,
	looseNameKey,
	matchBoundaries,
	readBoundaryFile,
	simplifyBoundary,
	type BoundaryFeature,
	type DistrictGeometry,
	type DistrictRef
} from './boundaries';

const fixture = (name: string) =>
	readFileSync(new URL(`../../tests/fixtures/geo/${name}`, import.meta.url), 'utf8');

const demo: DistrictRef[] = maharashtraDistricts.map((d) => ({
	code: d.code,
	name: d.name,
	state: 'Maharashtra'
}));

const square = (x: number, y: number, size = 0.1): DistrictGeometry => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, y],
			[x + size, y],
			[x + size, y + size],
			[x, y + size],
			[x, y]
		]
	]
});

const feature = (index: number, name: string | null, extra: Partial<BoundaryFeature> = {}) => ({
	index,
	name,
	code: null,
	state: null,
	geometry: square(index, 0),
	problem: null,
	...extra
});

describe('district names', () => {
	it('forgives case, spacing, punctuation and a "district" suffix', () => {
		expect(districtNameKey('  Mumbai  Suburban ')).toBe(districtNameKey('MUMBAI SUBURBAN'));
		expect(districtNameKey('Akola District')).toBe('akola');
		expect(districtNameKey('Janjgir-Champa')).toBe('janjgirchampa');
		expect(districtNameKey('Sāngli')).toBe('sangli');
	});

	it('reads aspirates, long vowels and doubled letters loosely', () => {
		expect(looseNameKey('Buldhana')).toBe(looseNameKey('Buldana'));
		expect(looseNameKey('Beed')).toBe(looseNameKey('Bid'));
		expect(looseNameKey('Gondiya')).toBe(looseNameKey('Gondia'));
		expect(looseNameKey('Wardha')).toBe(looseNameKey('Vardha'));
		expect(looseNameKey('Pune')).not.toBe(looseNameKey('Parbhani'));
	});
});

describe('matchBoundaries', () => {
	it('matches Census 2011 spellings to the names in common use', () => {
		const names = [
			'Ahmednagar',
			'BEED',
			'Gadchiroli',
			'Gondia',
			'Buldhana',
			'Raigad',
			'Mumbai City'
		];
		const report = matchBoundaries(
			names.map((n, i) => feature(i, n)),
			demo
		);
		expect(report.unmatchedFeatures).toEqual([]);
		expect(
			Object.fromEntries(report.matched.map((m) => [m.feature.name, m.district.name]))
		).toEqual({
			Ahmednagar: 'Ahmadnagar',
			BEED: 'Bid',
			Gadchiroli: 'Garhchiroli',
			Gondia: 'Gondiya',
			Buldhana: 'Buldana',
			Raigad: 'Raigarh',
			'Mumbai City': 'Mumbai'
		});
		// "Mumbai City" is Mumbai, not Mumbai Suburban.
		expect(report.unmatchedDistricts.map((d) => d.name)).toContain('Mumbai Suburban');
	});

	it('matches later renamings (Chhatrapati Sambhajinagar, Dharashiv)', () => {
		const report = matchBoundaries(
			[feature(0, 'Chhatrapati Sambhajinagar'), feature(1, 'Dharashiv')],
			demo
		);
		expect(report.matched.map((m) => m.district.code)).toEqual(['515', '525']);
		expect(report.matched.every((m) => m.by === 'variant')).toBe(true);
	});

	it('prefers the code, and a code written with a leading zero or as a number', () => {
		const report = matchBoundaries(
			[feature(0, 'Somewhere else', { code: '0521' }), feature(1, null, { code: '505' })],
			demo
		);
		expect(report.matched.map((m) => [m.district.code, m.by])).toEqual([
			['505', 'code'],
			['521', 'code']
		]);
	});

	it('never matches a district of another state by its name alone', () => {
		const report = matchBoundaries([feature(0, 'Aurangabad', { state: 'Bihar' })], demo);
		expect(report.matched).toEqual([]);
		expect(report.unmatchedFeatures[0].why).toMatch(/state Bihar/);
	});

	it('gives each district one feature and says which feature was second', () => {
		const report = matchBoundaries(
			[feature(0, 'Pune', { code: '521' }), feature(1, 'Poona', { code: '521' })],
			demo
		);
		expect(report.matched).toHaveLength(1);
		expect(report.matched[0].feature.index).toBe(0);
		expect(report.unmatchedFeatures).toEqual([
			expect.objectContaining({ why: expect.stringMatching(/521 Pune already has feature 0/) })
		]);
	});

	it('matches every district of a file spelled differently from the demo', () => {
		const file = readBoundaryFile(fixture('maharashtra-renamed.geojson'));
		expect(file.nameProperty).toBe('DISTRICT');
		expect(file.stateProperty).toBe('STATE');
		const report = matchBoundaries(file.features, demo);
		expect(report.unmatchedFeatures).toEqual([]);
		expect(report.unmatchedDistricts).toEqual([]);
		expect(report.matched).toHaveLength(36);
		const byCode = Object.fromEntries(report.matched.map((m) => [m.district.code, m.feature.name]));
		expect(byCode['523']).toBe('BEED');
		expect(byCode['518']).toBe('Mumbai  Suburban');
		expect(byCode['519']).toBe('Mumbai City');
	});
});

describe('readBoundaryFile', () => {
	it('reads named properties and reports unusable features instead of failing', () => {
		const file = readBoundaryFile(fixture('edge-cases.geojson'), {
			nameProperty: 'dist_nm',
			codeProperty: 'CENSUS'
		});
		expect(file.codeProperty).toBe('census');
		expect(file.features.map((f) => [f.name, f.code, f.problem])).toEqual([
			['Poona', '0521', null],
			['Kaimur (Bhabua)', null, null],
			['Atlantis', '999', null],
			['Nagpur HQ', '505', 'geometry is a Point, not a Polygon'],
			['Pune', '521', null],
			['Latur', null, null]
		]);
		// The degenerate second polygon of Latur is dropped; its first one stays.
		expect(file.features[5].geometry?.type).toBe('Polygon');

		const report = matchBoundaries(file.features, demo);
		expect(report.matched.map((m) => [m.feature.name, m.district.code])).toEqual([
			['Poona', '521'],
			['Latur', '524']
		]);
		expect(report.unmatchedFeatures.map((u) => u.feature.name)).toEqual([
			'Kaimur (Bhabua)',
			'Atlantis',
			'Nagpur HQ',
			'Pune'
		]);
		expect(report.unmatchedDistricts).toHaveLength(34);
	});

	it('refuses what is not a WGS84 FeatureCollection, saying why', () => {
		expect(() => readBoundaryFile('{"type":"Feature"}')).toThrow(BoundaryFileError);
		expect(() => readBoundaryFile('nope')).toThrow(/not JSON/);
		const projected = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { name: 'Pune' },
					geometry: square(8_200_000, 2_100_000, 1000)
				}
			]
		});
		expect(() => readBoundaryFile(projected)).toThrow(/convert it to WGS84/);
		expect(() => readBoundaryFile(fixture('edge-cases.geojson'), { nameProperty: 'nm' })).toThrow(
			/no feature has a property "nm"/
		);
	});
});

describe('simplifyBoundary', () => {
	/** A wiggly ring of n points around (x, y). */
	const wiggly = (x: number, y: number, radius: number, n: number): DistrictGeometry => {
		const ring = Array.from({ length: n }, (_, i) => {
			const a = (2 * Math.PI * i) / n;
			const r = radius * (1 + 0.001 * Math.sin(i * 7));
			return [x + r * Math.cos(a), y + r * Math.sin(a)];
		});
		ring.push(ring[0]);
		return { type: 'Polygon', coordinates: [ring] };
	};

	it('drops vertices but keeps every district, even one smaller than the tolerance', () => {
		const big = wiggly(75, 19, 0.5, 2000);
		const tiny = square(72.8, 18.9, 0.0004);
		const islands: DistrictGeometry = {
			type: 'MultiPolygon',
			coordinates: [
				wiggly(73, 17, 0.3, 500).coordinates as number[][][],
				square(72.5, 17, 0.0002).coordinates as number[][][]
			]
		};
		const simpleBig = simplifyBoundary(big);
		expect(countPositions(simpleBig)).toBeLessThan(countPositions(big) / 4);
		for (const g of [simpleBig, simplifyBoundary(tiny), simplifyBoundary(islands)]) {
			const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
			for (const polygon of polygons)
				for (const ring of polygon) {
					expect(ring.length).toBeGreaterThanOrEqual(4);
					expect(ring[0]).toEqual(ring.at(-1));
				}
		}
		const simpleIslands = simplifyBoundary(islands);
		expect(simpleIslands.type).toBe('MultiPolygon');
		expect(simpleIslands.coordinates).toHaveLength(2);
	});

	it('simplifies every feature of a file and keeps all of them', () => {
		const file = readBoundaryFile(fixture('maharashtra-renamed.geojson'));
		const simplified = file.features.map((f) => simplifyBoundary(f.geometry!, 0.05));
		expect(simplified).toHaveLength(36);
		for (const g of simplified) expect(countPositions(g)).toBeGreaterThanOrEqual(4);
	});
});

describe('labelPoint', () => {
	it('puts the label where the shape has most room, inside it', () => {
		const g = square(73, 18, 1);
		const p = labelPoint(g, [73.05, 18.05]);
		expect(p[0]).toBeCloseTo(73.5, 1);
		expect(p[1]).toBeCloseTo(18.5, 1);
		// A C shape: its centroid falls in the gap; the label lands in the thick back of the C.
		const c: DistrictGeometry = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[3, 0],
					[3, 1],
					[1, 1],
					[1, 2],
					[3, 2],
					[3, 3],
					[0, 3],
					[0, 0]
				]
			]
		};
		const inC = labelPoint(c, null);
		expect(containsPoint(c, inC)).toBe(true);
		expect(inC[0]).toBeLessThan(1);
	});

	it('labels a district of islands on its largest island', () => {
		const g: DistrictGeometry = {
			type: 'MultiPolygon',
			coordinates: [
				square(72.8, 18.9, 0.05).coordinates as number[][][],
				square(73, 18, 0.6).coordinates as number[][][]
			]
		};
		const p = labelPoint(g, [72.82, 18.92]);
		expect(p[0]).toBeGreaterThan(73);
		expect(p[1]).toBeLessThan(18.6);
	});
});
