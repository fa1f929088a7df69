import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '../client';

export interface DistrictRefRow {
	code: string;
	name: string;
	state: string;
}

/** Every district, for matching a boundary file against. */
export async function listDistrictRefs(db: Db): Promise<DistrictRefRow[]> {
	const result = await db.execute(sql`select code, name, state from districts order by code`);
	return resultRows<DistrictRefRow>(result);
}

const inCodes = (codes: string[] | null) =>
	codes === null ? sql`true` : sql`code = any(${sql.param(codes)}::text[])`;

/**
 * A fingerprint of the districts' shapes, names and approximate flags (all of them, or
 * `codes`), computed in the database so an unchanged map costs no geometry transfer.
 */
export async function districtGeometryVersion(db: Db, codes: string[] | null): Promise<string> {
	const result = await db.execute(sql`
		select md5(coalesce(string_agg(
			code || '|' || name || '|' || approximate::text || '|' || coalesce(geometry::text, ''),
			'#' order by code), '')) as version
		from districts where ${inCodes(codes)}`);
	return resultRows<{ version: string }>(result)[0]?.version ?? '';
}

export interface DistrictShapeRow {
	code: string;
	name: string;
	approximate: boolean;
	hqLat: number | null;
	hqLon: number | null;
	/** GeoJSON Polygon or MultiPolygon in WGS84; null when none is held. */
	geometry: unknown;
}

export async function districtShapes(db: Db, codes: string[] | null): Promise<DistrictShapeRow[]> {
	const result = await db.execute(sql`
		select code, name, approximate, hq_lat, hq_lon, geometry
		from districts where ${inCodes(codes)} order by code`);
	return resultRows<{
		code: string;
		name: string;
		approximate: boolean;
		hq_lat: number | null;
		hq_lon: number | null;
		geometry: unknown;
	}>(result).map((r) => ({
		code: r.code,
		name: r.name,
		approximate: r.approximate,
		hqLat: r.hq_lat === null ? null : Number(r.hq_lat),
		hqLon: r.hq_lon === null ? null : Number(r.hq_lon),
		// postgres.js hands jsonb back parsed; a string here is a JSON text to parse.
		geometry: typeof r.geometry === 'string' ? JSON.parse(r.geometry) : r.geometry
	}));
}

/** Official boundaries replace approximate ones; returns the codes updated. */
export async function replaceDistrictGeometry(
	db: Db,
	rows: { code: string; geometry: unknown }[]
): Promise<string[]> {
	if (rows.length === 0) return [];
	const result = await db.execute(sql`
		update districts d set geometry = t.geometry::jsonb, approximate = false
		from unnest(
			${sql.param(rows.map((r) => r.code))}::text[],
			${sql.param(rows.map((r) => JSON.stringify(r.geometry)))}::text[]
		) as t(code, geometry)
		where d.code = t.code
		returning d.code`);
	return resultRows<{ code: string }>(result).map((r) => r.code);
}
