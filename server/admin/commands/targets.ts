import type { Db } from '../../../src/lib/server/db/client';
import { appendAudit } from '../../../src/lib/server/db/queries/audit';
import { rebuildReviewRollups, upsertTargets } from '../../../src/lib/server/db/queries/review';
import { districtIndex } from '../../../src/lib/server/db/queries/site';
import { parseTargetsCsv } from '../../../src/lib/server/review/targets-csv';

export type ImportTargetsOutcome = { ok: true; message: string } | { ok: false; errors: string[] };

/**
 * Load district targets and registered counts from CSV (see targets-csv.ts for the form).
 * All or nothing: a file with any bad row writes nothing and every bad row is reported.
 */
export async function importTargetsCommand(
	db: Db,
	opts: { csv: string; file: string }
): Promise<ImportTargetsOutcome> {
	const parsed = parseTargetsCsv(opts.csv, await districtIndex(db));
	if (parsed.rejected.length > 0) {
		return {
			ok: false,
			errors: parsed.rejected.map((r) => `${opts.file}: line ${r.line}: ${r.error}`)
		};
	}
	const written = await db.transaction(async (tx) => {
		const n = await upsertTargets(tx, parsed.rows, 'admin-cli');
		await appendAudit(tx, {
			actor: 'admin-cli',
			action: 'targets.import',
			detail: { file: opts.file, rows: n }
		});
		return n;
	});
	const dates = parsed.rows.map((r) => r.date).sort();
	return {
		ok: true,
		message: `imported ${written} district-day rows (${dates[0]} to ${dates.at(-1)}) from ${opts.file}`
	};
}

/** Rebuild the review's day rollups from the raw rows (after a change of APP_TIMEZONE). */
export async function rebuildReviewRollupsCommand(db: Db, timeZone: string): Promise<string> {
	const started = Date.now();
	await rebuildReviewRollups(db, timeZone);
	return `review day rollups rebuilt for ${timeZone} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}
