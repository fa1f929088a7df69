import polygonClipping from 'polygon-clipping';
import { describe, expect, it } from 'vitest';
import { maharashtraDistricts, maharashtraTowns } from './districts';
import {
	approximateDistrictGeometry,
	geometryArea,
	pointInGeometry,
	ringArea,
	type AreaGeometry,
	type DistrictFeatureCollection,
	type Ring
} from './geometry';
import { maharashtraOutline } from './outline';

const townSeeds = Object.fromEntries(
	Object.entries(maharashtraTowns).map(([code, towns]) => [code, towns.map((t) => t.at)])
);
const outlineArea = ringArea(maharashtraOutline);

const rings = (g: AreaGeometry): Ring[] =>
	g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();

function checkCollection(fc: DistrictFeatureCollection) {
	expect(fc.type).toBe('FeatureCollection');
	expect(fc.features).toHaveLength(36);
	let total = 0;
	for (const [i, f] of fc.features.entries()) {
		const d = maharashtraDistricts[i];
		expect(f.properties).toEqual({ code: d.code, name: d.name, approximate: true });
		expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
		const area = geometryArea(f.geometry);
		expect(area, d.name).toBeGreaterThan(0);
		expect(pointInGeometry(d.hq, f.geometry), d.name).toBe(true);
		for (const ring of rings(f.geometry)) {
			expect(ring.length).toBeGreaterThanOrEqual(4);
			expect(ring[0]).toEqual(ring[ring.length - 1]);
			for (const [x, y] of ring) {
				expect(Math.round(x * 1e4) / 1e4).toBe(x);
				expect(Math.round(y * 1e4) / 1e4).toBe(y);
			}
		}
		total += area;
	}
	// Cells tile the outline: no gaps and no overlaps to speak of.
	expect(Math.abs(total - outlineArea) / outlineArea).toBeLessThan(0.01);
}

describe('approximateDistrictGeometry', () => {
	it('tiles the outline with one cell per headquarters', () => {
		checkCollection(approximateDistrictGeometry(maharashtraDistricts, maharashtraOutline));
	});

	it('tiles the outline when towns add seeds, each town inside its own district', () => {
		const fc = approximateDistrictGeometry(maharashtraDistricts, maharashtraOutline, townSeeds);
		checkCollection(fc);
		for (const f of fc.features) {
			for (const t of maharashtraTowns[f.properties.code]) {
				expect(pointInGeometry(t.at, f.geometry), t.name).toBe(true);
			}
		}
	});

	it('gives both Mumbai districts their own cell, without overlap', () => {
		const fc = approximateDistrictGeometry(maharashtraDistricts, maharashtraOutline, townSeeds);
		const cell = (code: string) => fc.features.find((f) => f.properties.code === code)!.geometry;
		const city = cell('519');
		const suburbs = cell('518');
		expect(geometryArea(city)).toBeGreaterThan(0.005);
		expect(geometryArea(suburbs)).toBeGreaterThan(0.02);
		const asGeom = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
		const overlap = polygonClipping.intersection(asGeom(city), asGeom(suburbs));
		const overlapArea = overlap.reduce(
			(s, p) => s + geometryArea({ type: 'Polygon', coordinates: p }),
			0
		);
		expect(overlapArea).toBeLessThan(1e-6);
	});

	it('splits a square between two points along their bisector', () => {
		const square: Ring = [
			[0, 0],
			[2, 0],
			[2, 1],
			[0, 1],
			[0, 0]
		];
		const fc = approximateDistrictGeometry(
			[
				{ code: '001', name: 'West', hq: [0.5, 0.5], population: 1 },
				{ code: '002', name: 'East', hq: [1.5, 0.5], population: 1 }
			],
			square
		);
		const [west, east] = fc.features.map((f) => f.geometry);
		expect(geometryArea(west)).toBeCloseTo(1, 6);
		expect(geometryArea(east)).toBeCloseTo(1, 6);
		expect(pointInGeometry([0.9, 0.5], west)).toBe(true);
		expect(pointInGeometry([1.1, 0.5], east)).toBe(true);
	});
});

describe('pointInGeometry', () => {
	it('respects holes and multipolygons', () => {
		const donut: AreaGeometry = {
			type: 'MultiPolygon',
			coordinates: [
				[
					[
						[0, 0],
						[4, 0],
						[4, 4],
						[0, 4],
						[0, 0]
					],
					[
						[1, 1],
						[3, 1],
						[3, 3],
						[1, 3],
						[1, 1]
					]
				],
				[
					[
						[10, 10],
						[11, 10],
						[11, 11],
						[10, 10]
					]
				]
			]
		};
		expect(pointInGeometry([0.5, 0.5], donut)).toBe(true);
		expect(pointInGeometry([2, 2], donut)).toBe(false);
		expect(pointInGeometry([10.8, 10.2], donut)).toBe(true);
		expect(pointInGeometry([5, 5], donut)).toBe(false);
		expect(geometryArea(donut)).toBeCloseTo(12.5, 9);
	});
});
