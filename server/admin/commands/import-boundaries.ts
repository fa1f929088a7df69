import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DbHandle } from '../../../src/lib/server/db/client';
import {
	listDistrictRefs,
	replaceDistrictGeometry
} from '../../../src/lib/server/db/queries/geography';
import {
	BoundaryFileError,
	countPositions,
	DEFAULT_TOLERANCE,
	matchBoundaries,
	readBoundaryFile,
	simplifyBoundary,
	type MatchedBy,
	type MatchReport
} from '../../geo/boundaries';

export interface ImportBoundariesOptions {
	file: string;
	/** The file's text, when already read (the CLI reads it for a running server). */
	text?: string;
	nameProperty?: string;
	codeProperty?: string;
	/** Simplification tolerance in degrees (0: keep every vertex). */
	tolerance?: number;
	/** Report what would be matched without writing anything. */
	dryRun?: boolean;
}

export interface ImportBoundariesResult {
	report: MatchReport;
	updated: string[];
	pointsBefore: number;
	pointsAfter: number;
	output: string;
}

const byLabel: Record<MatchedBy, string> = {
	code: 'by code',
	name: 'by name',
	variant: 'by a known spelling',
	loose: 'by a close spelling'
};

/**
 * `import-boundaries FILE.geojson`: replace the approximate district shapes with official
 * ones, matched by census code or by name, simplified for the browser. Districts the file
 * does not cover keep the shape they had (and its approximate flag).
 */
export async function importBoundaries(
	handle: DbHandle,
	options: ImportBoundariesOptions
): Promise<ImportBoundariesResult> {
	let text = options.text;
	try {
		text ??= await readFile(options.file, 'utf8');
	} catch (error) {
		throw new BoundaryFileError(`cannot read ${options.file}: ${(error as Error).message}`);
	}
	const file = readBoundaryFile(text, {
		nameProperty: options.nameProperty,
		codeProperty: options.codeProperty
	});
	const districts = await listDistrictRefs(handle.db);
	if (districts.length === 0) {
		throw new BoundaryFileError('the database holds no districts yet: load them first');
	}
	const report = matchBoundaries(file.features, districts);
	const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
	let pointsBefore = 0;
	let pointsAfter = 0;
	const rows = report.matched.map((m) => {
		const geometry = simplifyBoundary(m.feature.geometry!, tolerance);
		pointsBefore += countPositions(m.feature.geometry!);
		pointsAfter += countPositions(geometry);
		return { code: m.district.code, geometry };
	});
	// One statement: every matched district changes, or none does.
	const updated = options.dryRun ? [] : await replaceDistrictGeometry(handle.db, rows);

	const lines: string[] = [];
	const label = (f: { index: number; name: string | null; code: string | null }) =>
		[f.name ? `"${f.name}"` : null, f.code ? `code ${f.code}` : null, `(feature ${f.index})`]
			.filter(Boolean)
			.join(' ');
	lines.push(
		`${options.file}: ${file.features.length} features; name property ${file.nameProperty ?? '—'}, code property ${file.codeProperty ?? '—'}`
	);
	lines.push(`Matched ${report.matched.length} of ${file.features.length} features:`);
	for (const m of report.matched) {
		lines.push(`  ${m.district.code} ${m.district.name} ← ${label(m.feature)} ${byLabel[m.by]}`);
	}
	lines.push(`Features not matched (${report.unmatchedFeatures.length}):`);
	for (const u of report.unmatchedFeatures) lines.push(`  ${label(u.feature)}: ${u.why}`);
	if (report.unmatchedFeatures.length === 0) lines.push('  none');
	lines.push(
		`Districts with no boundary in the file (${report.unmatchedDistricts.length}); they keep their current shape:`
	);
	for (const d of report.unmatchedDistricts) lines.push(`  ${d.code} ${d.name}`);
	if (report.unmatchedDistricts.length === 0) lines.push('  none');
	lines.push(
		`Geometry simplified at ${tolerance}°: ${pointsBefore.toLocaleString('en-IN')} → ${pointsAfter.toLocaleString('en-IN')} points.`
	);
	lines.push(
		options.dryRun
			? 'Dry run: nothing written.'
			: `Replaced the boundaries of ${updated.length} districts (no longer approximate). Open maps show them within a minute, or on reload.`
	);
	return { report, updated, pointsBefore, pointsAfter, output: lines.join('\n') };
}

/**
 * The command line: `import-boundaries FILE.geojson [--name-property P] [--code-property C]
 * [--tolerance DEG] [--dry-run]`. A relative FILE is read from where `npm run admin` was
 * started; `text`, when the CLI has read the file already, is used instead.
 */
export async function importBoundariesCommand(
	handle: DbHandle,
	args: string[],
	text = ''
): Promise<string> {
	const { values, positionals } = parseArgs({
		args,
		strict: true,
		allowPositionals: true,
		options: {
			'name-property': { type: 'string' },
			'code-property': { type: 'string' },
			tolerance: { type: 'string' },
			'dry-run': { type: 'boolean' }
		}
	});
	if (positionals.length !== 1) {
		throw new BoundaryFileError('import-boundaries takes one FILE.geojson');
	}
	const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
	if (tolerance !== undefined && !(tolerance >= 0 && tolerance < 1)) {
		throw new BoundaryFileError('--tolerance is in degrees, from 0 (keep every vertex) to below 1');
	}
	try {
		const result = await importBoundaries(handle, {
			file: resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]),
			text: text || undefined,
			nameProperty: values['name-property'],
			codeProperty: values['code-property'],
			tolerance,
			dryRun: values['dry-run']
		});
		return result.output;
	} catch (error) {
		if (error instanceof BoundaryFileError)
			throw new Error(`nothing imported: ${error.message}`, { cause: error });
		throw error;
	}
}
