/**
 * A site's paper register as CSV: a header row with the DoseEvent field names, then one
 * row per dose written on paper. Each row becomes a backfilled dose or a rejection with
 * its 1-based line number in the file (the header is line 1).
 */
import { parse } from 'csv-parse/sync';
import type { DoseRecord } from '../../src/lib/shared/feeds';
import { localDate, zonedTime } from '../../src/lib/shared/time';
import { isCalendarDate, MAX_ID, parseInstant, shown } from '../feeds/parse/fields';

/** A body that cannot be read as a register at all (answered 400; nothing is written). */
export class BackfillFormatError extends Error {}

export interface BackfillRow {
	line: number;
	record: DoseRecord;
	/** beneficiary|dose|local day: the same dose, however it reached us. */
	key: string;
	raw: string;
}

export interface BackfillRejection {
	line: number;
	error: string;
	raw: string;
}

export interface ParsedRegister {
	rows: BackfillRow[];
	rejected: BackfillRejection[];
}

/** Rows one upload may hold; a bigger register is sent in parts. */
export const MAX_ROWS = 50_000;
/** A paper dose may be stamped a little ahead of our clock (the site's watch), not more. */
const FUTURE_SLACK_MS = 5 * 60_000;

const fields = [
	'beneficiaryRef',
	'occurredAt',
	'vaccine',
	'dose',
	'vaccinatorRef',
	'id',
	'siteCode',
	'sessionId'
] as const;
type Field = (typeof fields)[number];
const required: Field[] = ['beneficiaryRef', 'occurredAt', 'vaccine', 'dose'];

/** Header names are matched forgiving case, spaces and punctuation ("Beneficiary Ref"). */
const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const byNormalName = new Map<string, Field>(fields.map((f) => [normalise(f), f]));

/** The deterministic id of a paper dose: the same paper row always lands on the same row. */
export function paperDoseId(siteCode: string, key: { ref: string; dose: number; day: string }) {
	return `paper:${siteCode}:${key.ref}:${key.dose}:${key.day}`;
}

export const doseKey = (ref: string, dose: number, day: string) => `${ref}|${dose}|${day}`;

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * When a dose was given. ISO-8601 with an offset as the feeds take it; a paper register
 * is written in local time, so a time without an offset is read in the state's zone:
 * `YYYY-MM-DD HH:MM[:SS]`, or day first as written in India, `DD/MM/YYYY HH:MM[:SS]`.
 */
export function parsePaperTime(value: string, timeZone: string): Date | null {
	const withOffset = parseInstant(value);
	if (withOffset) return withOffset;
	let y: number, mo: number, d: number, h: number, mi: number, s: number;
	const iso = LOCAL_ISO.exec(value);
	const dmy = iso ? null : LOCAL_DMY.exec(value);
	if (iso) [y, mo, d, h, mi, s] = [+iso[1], +iso[2], +iso[3], +iso[4], +iso[5], +(iso[6] ?? 0)];
	else if (dmy)
		[d, mo, y, h, mi, s] = [+dmy[1], +dmy[2], +dmy[3], +dmy[4], +dmy[5], +(dmy[6] ?? 0)];
	else return null;
	if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
	const pad = (n: number) => String(n).padStart(2, '0');
	return zonedTime(`${y}-${pad(mo)}-${pad(d)}`, `${pad(h)}:${pad(mi)}:${pad(s)}`, timeZone);
}

interface Parsed {
	record: string[];
	info: { lines: number };
	raw: string;
}

/** The record's text as sent, and the line it starts on (blank lines before it skipped). */
function located(p: Parsed): { line: number; raw: string } {
	const raw = p.raw.replace(/^(?:[ \t]*\n)+/, '').replace(/\n$/, '');
	const inner = raw.match(/\n/g)?.length ?? 0;
	return { line: p.info.lines - inner, raw };
}

function readCsv(text: string): Parsed[] {
	try {
		// One kind of line break: csv-parse counts CR and LF inside a quoted value as two lines.
		return parse(text.replace(/\r\n?/g, '\n'), {
			bom: true,
			info: true,
			raw: true,
			trim: true,
			skip_empty_lines: true,
			relax_column_count: true
		}) as unknown as Parsed[];
	} catch (error) {
		const e = error as { message?: string; lines?: number };
		const where = e.lines ? ` at line ${e.lines}` : '';
		throw new BackfillFormatError(`not readable as CSV${where}: ${e.message ?? String(error)}`);
	}
}

/**
 * Read a register: the header names the columns (any order; unknown columns are ignored),
 * each row is checked on its own. Throws BackfillFormatError when the file as a whole
 * cannot be used (not CSV, no header, a required column missing, too many rows).
 */
export function parseRegister(
	text: string,
	opts: { siteCode: string; timeZone: string; now: Date }
): ParsedRegister {
	const records = readCsv(text);
	if (records.length === 0) throw new BackfillFormatError('empty file: expected a header row');
	const [header, ...data] = records;
	const columns = header.record.map((name) => byNormalName.get(normalise(name)) ?? null);
	const seen = new Set<Field>();
	for (const c of columns) {
		if (!c) continue;
		if (seen.has(c)) throw new BackfillFormatError(`header line 1: column ${c} appears twice`);
		seen.add(c);
	}
	const missing = required.filter((f) => !seen.has(f));
	if (missing.length) {
		throw new BackfillFormatError(
			`header line 1 must name the columns ${required.join(', ')} (vaccinatorRef and id optional); missing: ${missing.join(', ')}`
		);
	}
	if (data.length > MAX_ROWS) {
		throw new BackfillFormatError(
			`${data.length} rows: at most ${MAX_ROWS} per upload; send the register in parts`
		);
	}

	const out: ParsedRegister = { rows: [], rejected: [] };
	for (const p of data) {
		const { line, raw } = located(p);
		// A row of empty cells (a spreadsheet's blank line) is not a dose.
		if (p.record.every((v) => v === '')) continue;
		const result = readRow(p.record, columns, opts);
		if ('error' in result) out.rejected.push({ line, error: result.error, raw });
		else out.rows.push({ line, raw, ...result });
	}
	return out;
}

function readRow(
	values: string[],
	columns: (Field | null)[],
	opts: { siteCode: string; timeZone: string; now: Date }
): { record: DoseRecord; key: string } | { error: string } {
	if (values.length < columns.length) {
		return { error: `expected ${columns.length} fields as in the header, got ${values.length}` };
	}
	if (values.slice(columns.length).some((v) => v !== '')) {
		return { error: `expected ${columns.length} fields as in the header, got ${values.length}` };
	}
	const v: Partial<Record<Field, string>> = {};
	columns.forEach((c, i) => {
		if (c) v[c] = values[i];
	});
	const problems: string[] = [];
	const id = (field: Field, needed: boolean): string | null => {
		const value = v[field] ?? '';
		if (value === '') {
			if (needed) problems.push(`${field}: required`);
			return null;
		}
		if (value.length > MAX_ID) {
			problems.push(`${field}: must be at most ${MAX_ID} characters`);
			return null;
		}
		return value;
	};

	const beneficiaryRef = id('beneficiaryRef', true);
	let occurredAt: Date | null = null;
	if (!v.occurredAt) problems.push('occurredAt: required');
	else {
		occurredAt = parsePaperTime(v.occurredAt, opts.timeZone);
		if (!occurredAt) {
			problems.push(
				`occurredAt: must be a date and time (ISO-8601, or YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM in ${opts.timeZone}), got ${shown(v.occurredAt)}`
			);
		} else if (occurredAt.getTime() > opts.now.getTime() + FUTURE_SLACK_MS) {
			problems.push(`occurredAt: ${shown(v.occurredAt)} is in the future`);
			occurredAt = null;
		}
	}
	const vaccine = id('vaccine', true);
	let dose: number | null = null;
	if (!v.dose) problems.push('dose: required');
	else if (!/^\d{1,2}$/.test(v.dose) || +v.dose < 1 || +v.dose > 10) {
		problems.push(`dose: must be an integer from 1 to 10, got ${shown(v.dose)}`);
	} else dose = +v.dose;
	const vaccinatorRef = id('vaccinatorRef', false);
	const givenId = id('id', false);
	const sessionId = id('sessionId', false);
	if (v.siteCode && v.siteCode !== opts.siteCode) {
		problems.push(`siteCode: this register is for site ${opts.siteCode}, got ${shown(v.siteCode)}`);
	}
	if (problems.length || !beneficiaryRef || !occurredAt || !vaccine || dose === null) {
		return { error: problems.join('; ') };
	}
	const day = localDate(occurredAt, opts.timeZone);
	return {
		key: doseKey(beneficiaryRef, dose, day),
		record: {
			id: givenId ?? paperDoseId(opts.siteCode, { ref: beneficiaryRef, dose, day }),
			siteCode: opts.siteCode,
			occurredAt,
			vaccine,
			dose,
			beneficiaryRef,
			vaccinatorRef,
			sessionId,
			source: 'backfill',
			status: 'completed'
		}
	};
}
