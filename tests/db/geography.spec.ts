import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import {
	importBoundaries,
	importBoundariesCommand
} from '../../server/admin/commands/import-boundaries';
import { maharashtraDistricts } from '../../server/demo/districts';
import { districtGeometryVersion, districtShapes } from '../../src/lib/server/db/queries/geography';
import { districts } from '../../src/lib/server/db/schema';
import { forEachDatabase } from './databases';

const fixture = (name: string) =>
	fileURLToPath(new URL(`../fixtures/geo/${name}`, import.meta.url));

/** The demo's shape for every district: a 1° square at its headquarters, approximate. */
const placeholder = (lon: number, lat: number) => ({
	type: 'Polygon',
	coordinates: [
		[
			[lon - 0.5, lat - 0.5],
			[lon + 0.5, lat - 0.5],
			[lon + 0.5, lat + 0.5],
			[lon - 0.5, lat + 0.5],
			[lon - 0.5, lat - 0.5]
		]
	]
});

forEachDatabase('import-boundaries', (db) => {
	beforeAll(async () => {
		await db()
			.db.insert(districts)
			.values(
				maharashtraDistricts.map((d) => ({
					code: d.code,
					name: d.name,
					state: 'Maharashtra',
					hqLon: d.hq[0],
					hqLat: d.hq[1],
					geometry: placeholder(d.hq[0], d.hq[1]),
					approximate: true
				}))
			);
	});

	it('reports a dry run without writing anything', async () => {
		const before = await districtGeometryVersion(db().db, null);
		const output = await importBoundariesCommand(db(), [
			fixture('maharashtra-renamed.geojson'),
			'--dry-run'
		]);
		expect(output).toMatch(/Matched 36 of 36 features/);
		expect(output).toMatch(/Dry run: nothing written/);
		expect(await districtGeometryVersion(db().db, null)).toBe(before);
	});

	it('matches every district of a file spelled differently and replaces its shape', async () => {
		const before = await districtGeometryVersion(db().db, null);
		const result = await importBoundaries(db(), {
			file: fixture('maharashtra-renamed.geojson')
		});
		expect(result.report.unmatchedFeatures).toEqual([]);
		expect(result.report.unmatchedDistricts).toEqual([]);
		expect(result.updated.sort()).toEqual(maharashtraDistricts.map((d) => d.code).sort());
		expect(result.output).toMatch(/523 Bid ← "BEED"/);
		expect(result.output).toMatch(/522 Ahmadnagar ← "Ahmednagar"/);
		expect(result.output).toMatch(/508 Garhchiroli ← "Gadchiroli"/);

		const [row] = await db().rows<{ approximate: number; n: number }>(sql`
			select count(*) filter (where approximate)::int as approximate, count(*)::int as n from districts`);
		expect(row).toEqual({ approximate: 0, n: 36 });
		expect(await districtGeometryVersion(db().db, null)).not.toBe(before);

		// The octagon around Pune's headquarters, not the placeholder square.
		const [pune] = await districtShapes(db().db, ['521']);
		const ring = (pune.geometry as { coordinates: number[][][] }).coordinates[0];
		expect(ring).toHaveLength(9);
		for (const [lon, lat] of ring) {
			expect(Math.hypot(lon - 73.86, lat - 18.52)).toBeLessThan(0.07);
		}
	});

	it('keeps districts the file leaves out as they were, and names what it could not match', async () => {
		await db().db.execute(sql`update districts set approximate = true`);
		const result = await importBoundaries(db(), {
			file: fixture('edge-cases.geojson'),
			nameProperty: 'dist_nm',
			codeProperty: 'census'
		});
		expect(result.updated.sort()).toEqual(['521', '524']);
		expect(result.output).toMatch(
			/"Atlantis" code 999 \(feature 2\): no district with this code or name/
		);
		expect(result.output).toMatch(/"Nagpur HQ" code 505 \(feature 3\): geometry is a Point/);
		expect(result.output).toMatch(/Districts with no boundary in the file \(34\)/);
		const [row] = await db().rows<{ official: string[] }>(sql`
			select array_agg(code order by code) as official from districts where not approximate`);
		expect(row.official).toEqual(['521', '524']);
	});

	it('refuses a file in projected coordinates and writes nothing', async () => {
		const before = await districtGeometryVersion(db().db, null);
		await expect(
			importBoundariesCommand(
				db(),
				['projected.geojson'],
				JSON.stringify({
					type: 'FeatureCollection',
					features: [
						{
							type: 'Feature',
							properties: { district: 'Pune' },
							geometry: placeholder(8_200_000, 2_100_000)
						}
					]
				})
			)
		).rejects.toThrow(/nothing imported: .*convert it to WGS84/);
		expect(await districtGeometryVersion(db().db, null)).toBe(before);
	});

	it('fingerprints only the districts asked for', async () => {
		const pune = await districtGeometryVersion(db().db, ['521']);
		const nagpur = await districtGeometryVersion(db().db, ['505']);
		expect(pune).toMatch(/^[0-9a-f]{32}$/);
		expect(pune).not.toBe(nagpur);
		expect(await districtGeometryVersion(db().db, ['521'])).toBe(pune);
	});
});
