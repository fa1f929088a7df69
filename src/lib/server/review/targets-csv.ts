/**
 * District targets from CSV, for the admin command and the review page's upload: one
 * header row, then one row per district and day. All or nothing: a file with any bad row
 * writes nothing, and every bad row is named with its line.
 *
 *   district,date,target,registered
 *   521,2021-01-16,4000,80000
 *   "Mumbai Suburban",2021-01-16,6500,
 */
import { CsvError, parse } from 'csv-parse/sync';
import { normaliseName } from '../db/queries/site';
import type { TargetInput } from '../db/queries/review';

export interface TargetsCsvResult {
	rows: TargetInput[];
	/** Line numbers count the header as line 1. */
	rejected: { line: number; error: string }[];
}

export interface DistrictLookup {
	codes: ReadonlySet<string>;
	/** normaliseName(name) → code */
	byName: ReadonlyMap<string, string>;
}

/** Header names accepted for each field (compared without case, spaces or punctuation). */
const aliases: Record<'district' | 'date' | 'target' | 'registered', string[]> = {
	district: ['district', 'districtcode', 'districtname'],
	date: ['date', 'day'],
	target: ['target', 'targetdoses', 'dosetarget'],
	registered: ['registered', 'registeredcount', 'registrations']
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
	if (!DATE.test(text)) return false;
	const [y, m, d] = text.split('-').map(Number);
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A whole number ≥ 0; Indian or international digit grouping ("1,20,000") is allowed. */
function count(text: string, field: string): number | undefined | { error: string } {
	if (text === '') return undefined;
	const bare = text.replace(/[,\s_]/g, '');
	if (!/^\d+$/.test(bare) || bare.length > 10) {
		return { error: `${field}: must be a whole number of 0 or more, got "${text}"` };
	}
	const n = Number(bare);
	if (n > 2_147_483_647) return { error: `${field}: too large, got "${text}"` };
	return n;
}

export function parseTargetsCsv(text: string, districts: DistrictLookup): TargetsCsvResult {
	let records: { record: Record<string, string>; info: { lines: number } }[];
	const header: Partial<Record<keyof typeof aliases, string>> = {};
	try {
		records = parse(text, {
			bom: true,
			trim: true,
			skip_empty_lines: true,
			info: true,
			columns: (names: string[]) =>
				names.map((raw) => {
					const name = normaliseName(raw);
					for (const [field, names] of Object.entries(aliases)) {
						if (names.includes(name)) {
							header[field as keyof typeof aliases] = raw;
							return field;
						}
					}
					return `ignored:${raw}`;
				})
		}) as typeof records;
	} catch (e) {
		if (!(e instanceof CsvError)) throw e;
		const line = (e as CsvError & { lines?: number }).lines ?? 1;
		return { rows: [], rejected: [{ line, error: `not readable as CSV: ${e.message}` }] };
	}

	const missing = (['district', 'date'] as const).filter((f) => !header[f]);
	if (!header.target && !header.registered) missing.push('target or registered' as never);
	if (missing.length > 0) {
		return {
			rows: [],
			rejected: [{ line: 1, error: `the header needs a column for ${missing.join(', ')}` }]
		};
	}

	const rows: TargetInput[] = [];
	const rejected: TargetsCsvResult['rejected'] = [];
	const seen = new Map<string, number>();
	for (const { record, info } of records) {
		const line = info.lines;
		const errors: string[] = [];
		const named = record.district ?? '';
		const districtCode = districts.codes.has(named)
			? named
			: districts.byName.get(normaliseName(named));
		if (!named) errors.push('district: missing');
		else if (!districtCode) errors.push(`district: unknown district "${named}"`);
		const date = record.date ?? '';
		if (!validDate(date)) errors.push(`date: must be a date YYYY-MM-DD, got "${date}"`);
		const target = header.target ? count(record.target ?? '', 'target') : undefined;
		const registered = header.registered ? count(record.registered ?? '', 'registered') : undefined;
		for (const v of [target, registered]) {
			if (typeof v === 'object') errors.push(v.error);
		}
		if (target === undefined && registered === undefined && errors.length === 0) {
			errors.push('neither target nor registered is given');
		}
		const key = `${districtCode}|${date}`;
		if (errors.length === 0 && seen.has(key)) {
			errors.push(`the same district and date as line ${seen.get(key)}`);
		}
		if (errors.length > 0) {
			rejected.push({ line, error: errors.join('; ') });
			continue;
		}
		seen.set(key, line);
		rows.push({
			districtCode: districtCode!,
			date,
			...(typeof target === 'number' ? { target } : {}),
			...(typeof registered === 'number' ? { registered } : {})
		});
	}
	if (rows.length === 0 && rejected.length === 0) {
		rejected.push({ line: 1, error: 'no rows after the header' });
	}
	return rejected.length > 0 ? { rows: [], rejected } : { rows, rejected };
}
