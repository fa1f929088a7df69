import { z } from 'zod';
import type { DoseRecord } from '../../../src/lib/shared/feeds';
import {
	doseNumber,
	expected,
	item,
	MAX_ID,
	optionalText,
	parseInstant,
	text,
	timestamp
} from './fields';
import { parseFhir } from './fhir';
import { add, check, emptyParsed, eachItem, ok, requireArray } from './items';
import { parseJsonBody } from './json';
import { BodyError, type ParseOptions, type Parsed } from './types';

export const doseEvent: z.ZodType<DoseRecord> = item({
	id: text(),
	siteCode: text(),
	occurredAt: timestamp,
	vaccine: text(),
	dose: doseNumber,
	beneficiaryRef: text(),
	vaccinatorRef: optionalText(),
	sessionId: optionalText(),
	source: z
		.enum(['live', 'backfill'], { error: expected('one of live, backfill') })
		.nullish()
		.transform((v) => v ?? 'live')
}).transform((e) => ({ ...e, status: 'completed' as const }));

const isText = (v: string) => v.length >= 1 && v.length <= MAX_ID;

/**
 * The schema's result for a well-formed event, without zod: the feed reads tens of
 * thousands a second and zod costs several microseconds an item. Anything unusual returns
 * null and goes through the schema, which words the errors (doses.spec.ts checks the two
 * agree).
 */
export function fastDoseEvent(raw: unknown): DoseRecord | null {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
	const e = raw as Record<string, unknown>;
	const { id, siteCode, occurredAt, vaccine, dose, beneficiaryRef } = e;
	if (
		typeof id !== 'string' ||
		typeof siteCode !== 'string' ||
		typeof occurredAt !== 'string' ||
		typeof vaccine !== 'string' ||
		typeof beneficiaryRef !== 'string' ||
		typeof dose !== 'number' ||
		!Number.isInteger(dose) ||
		dose < 1 ||
		dose > 10
	) {
		return null;
	}
	const out = {
		id: id.trim(),
		siteCode: siteCode.trim(),
		vaccine: vaccine.trim(),
		beneficiaryRef: beneficiaryRef.trim()
	};
	if (!isText(out.id) || !isText(out.siteCode) || !isText(out.vaccine)) return null;
	if (!isText(out.beneficiaryRef)) return null;
	const at = parseInstant(occurredAt.trim());
	if (!at) return null;
	const vaccinatorRef = fastOptional(e.vaccinatorRef);
	const sessionId = fastOptional(e.sessionId);
	const source = e.source ?? 'live';
	if (vaccinatorRef === false || sessionId === false) return null;
	if (source !== 'live' && source !== 'backfill') return null;
	return {
		id: out.id,
		siteCode: out.siteCode,
		occurredAt: at,
		vaccine: out.vaccine,
		dose,
		beneficiaryRef: out.beneficiaryRef,
		vaccinatorRef,
		sessionId,
		source,
		status: 'completed'
	};
}

/** optionalText() without zod: the value, null when absent or blank, false when invalid. */
function fastOptional(v: unknown): string | null | false {
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string') return false;
	const t = v.trim();
	if (t.length > MAX_ID) return false;
	return t || null;
}

/** One DoseEvent: the fast path when it applies, else the schema (and its error wording). */
function readDose(raw: unknown) {
	const fast = fastDoseEvent(raw);
	return fast ? ok(fast) : check(doseEvent, raw);
}

const SUPPORTED = 'application/json, application/x-ndjson or application/fhir+json';

/**
 * Doses in any of the three forms the contract allows, chosen by Content-Type (parameters
 * such as charset ignored). Times carry their own offsets, so the zone is not needed.
 */
export function parseDoseBody(
	text: string,
	contentType: string,
	_opts: ParseOptions
): Parsed<DoseRecord> {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (type === 'application/x-ndjson') return parseNdjson(text);
	if (type === 'application/fhir+json') return parseFhir(parseJsonBody(text));
	if (type === 'application/json') {
		const body = parseJsonBody(text);
		// Senders that label FHIR as plain JSON are common; the resourceType gives it away.
		if (body !== null && typeof body === 'object' && 'resourceType' in body) return parseFhir(body);
		return doseArray(body);
	}
	throw new BodyError(`unsupported Content-Type ${JSON.stringify(type)}: send ${SUPPORTED}`);
}

function doseArray(body: unknown): Parsed<DoseRecord> {
	return eachItem(requireArray(body, 'DoseEvent'), readDose);
}

/**
 * One DoseEvent per line. Blank lines are skipped and not counted: index is the 0-based
 * position among the non-blank lines, the same index the items would have had as a JSON
 * array. The error names the physical line number, for the person fixing the file.
 */
function parseNdjson(text: string): Parsed<DoseRecord> {
	const out = emptyParsed<DoseRecord>();
	let index = 0;
	text
		.replace(/^\uFEFF/, '')
		.split('\n')
		.forEach((line, lineNo) => {
			const trimmed = line.trim();
			if (trimmed === '') return;
			let raw: unknown;
			try {
				raw = JSON.parse(trimmed);
			} catch (e) {
				const error = `line ${lineNo + 1} is not JSON: ${(e as Error).message}`;
				out.rejected.push({ index: index++, error, raw: line.replace(/\r$/, '') });
				return;
			}
			add(out, index++, readDose(raw), raw);
		});
	return out;
}
