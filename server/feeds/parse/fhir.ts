/**
 * FHIR R4 Immunization -> DoseRecord, as contract.md maps it. Written by hand rather than
 * with a schema: FHIR nests every value a level or two down and most of it is optional.
 */
import type { DoseRecord } from '../../../src/lib/shared/feeds';
import { MAX_ID, parseInstant, shown } from './fields';
import { add, emptyParsed, fail, ok, type ItemResult } from './items';
import { BodyError, type Parsed } from './types';

type Json = Record<string, unknown>;

const PERFORMERS = ['Practitioner', 'PractitionerRole'];

const asObject = (v: unknown): Json | undefined =>
	v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asText = (v: unknown): string | undefined =>
	typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** The value of the first identifier that has one. */
function firstIdentifier(identifiers: unknown): string | undefined {
	for (const i of asArray(identifiers)) {
		const value = asText(asObject(i)?.value);
		if (value) return value;
	}
	return undefined;
}

/**
 * The id in a reference: `Type/<id>` (relative, absolute URL or with `/_history/<v>`) when
 * the type is one of `types`, or the uuid of `urn:uuid:<uuid>` (a Bundle-local reference).
 */
function referenceId(reference: string, types: string[]): string | undefined {
	const uuid = /^urn:uuid:(.+)$/i.exec(reference);
	if (uuid) return uuid[1];
	const m = /(?:^|\/)([A-Za-z]+)\/([^/?#]+)(?:\/_history\/[^/]+)?$/.exec(reference);
	return m && types.includes(m[1]) ? m[2] : undefined;
}

/** Finds a Bundle entry by fullUrl, for references such as "resource:0" in SMART Health Cards. */
export type Resolve = (reference: string) => Json | undefined;

interface Who {
	id?: string;
	error?: string;
}

/** identifier.value, else the id in reference; neither gives {}; an unreadable reference an error. */
function who(field: string, element: unknown, types: string[], resolve: Resolve): Who {
	const el = asObject(element);
	const id = firstIdentifier([el?.identifier]);
	if (id) return { id };
	const reference = asText(el?.reference);
	if (!reference) return {};
	const found = referenceId(reference, types);
	if (found) return { id: found };
	const local = resolve(reference);
	if (local && types.includes(String(local.resourceType))) {
		const localId = firstIdentifier(local.identifier) ?? asText(local.id);
		if (localId) return { id: localId };
	}
	return { error: `${field}.reference: expected ${types[0]}/<id>, got ${shown(reference)}` };
}

function doseOf(protocol: unknown, errors: string[]): number | null {
	const p = asObject(asArray(protocol)[0]);
	const n = p?.doseNumberPositiveInt;
	if (n !== undefined) {
		if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10) return n;
		const field = 'protocolApplied[0].doseNumberPositiveInt';
		errors.push(`${field}: must be an integer from 1 to 10, got ${shown(n)}`);
		return null;
	}
	// doseNumberString is free text ("Booster"); only a plain number tells us the dose.
	const s = asText(p?.doseNumberString);
	const d = s && /^\d+$/.test(s) ? Number(s) : null;
	return d !== null && d >= 1 && d <= 10 ? d : null;
}

function occurredAt(res: Json, errors: string[]): Date | undefined {
	const value = res.occurrenceDateTime;
	if (value === undefined) {
		const s = res.occurrenceString;
		errors.push(
			s === undefined
				? 'occurrenceDateTime: required'
				: `occurrenceString ${shown(s)} is not a time: send occurrenceDateTime with a UTC offset`
		);
		return undefined;
	}
	const at = typeof value === 'string' ? parseInstant(value.trim()) : null;
	if (at) return at;
	errors.push(
		typeof value === 'string' && /^\d{4}(-\d{2}){0,2}$/.test(value.trim())
			? `occurrenceDateTime: ${shown(value)} has no time of day; a dose needs the time it was given, with a UTC offset`
			: `occurrenceDateTime: must be ISO-8601 with a UTC offset, got ${shown(value)}`
	);
	return undefined;
}

function vaccineOf(code: unknown): string | undefined {
	const c = asObject(code);
	for (const coding of asArray(c?.coding)) {
		const value = asText(asObject(coding)?.code);
		if (value) return value;
	}
	return asText(c?.text);
}

/** Map one Immunization resource; `resolve` looks up Bundle-local references. */
export function mapImmunization(
	res: Json,
	resolve: Resolve = () => undefined
): ItemResult<DoseRecord> {
	const status = res.status;
	if (status === 'not-done') return fail('status not-done: not an administered dose');
	const key = firstIdentifier(res.identifier) ?? asText(res.id);
	if (!key) return fail('no identifier or id: cannot be made idempotent');

	const errors: string[] = [];
	if (status !== 'completed' && status !== 'entered-in-error') {
		errors.push(
			status === undefined
				? 'status: required'
				: `status: must be completed or entered-in-error, got ${shown(status)}`
		);
	}
	const site = who('location', res.location, ['Location'], resolve);
	if (!site.id && !site.error) site.error = 'no location: the site is unknown';
	const patient = who('patient', res.patient, ['Patient'], resolve);
	if (!patient.id && !patient.error) patient.error = 'patient: needs an identifier or a reference';
	const vaccine = vaccineOf(res.vaccineCode);
	const at = occurredAt(res, errors);
	const dose = doseOf(res.protocolApplied, errors);
	// The first performer we can name; "display" alone (SMART Health Cards) names nobody.
	const vaccinator = asArray(res.performer)
		.map((p) => who('performer.actor', asObject(p)?.actor, PERFORMERS, resolve).id)
		.find((id) => id !== undefined);

	for (const e of [site.error, patient.error]) if (e) errors.push(e);
	if (!vaccine) errors.push('vaccineCode: needs a coding code or a text');
	const lengths = {
		identifier: key,
		location: site.id,
		patient: patient.id,
		vaccineCode: vaccine,
		performer: vaccinator
	};
	for (const [field, value] of Object.entries(lengths)) {
		if (value && value.length > MAX_ID)
			errors.push(`${field}: must be at most ${MAX_ID} characters`);
	}
	if (errors.length) return fail(errors.join('; '));
	return ok({
		id: key,
		siteCode: site.id!,
		occurredAt: at!,
		vaccine: vaccine!,
		dose,
		beneficiaryRef: patient.id!,
		vaccinatorRef: vaccinator ?? null,
		sessionId: null,
		source: 'live',
		status: status === 'entered-in-error' ? 'entered_in_error' : 'completed'
	});
}

/** A single Immunization (index 0) or a Bundle of them (index = entry index). */
export function parseFhir(body: unknown): Parsed<DoseRecord> {
	const res = asObject(body);
	const type = res?.resourceType;
	const out = emptyParsed<DoseRecord>();
	if (res && type === 'Immunization') {
		add(out, 0, mapImmunization(res), body);
		return out;
	}
	if (!res || type !== 'Bundle') {
		const got = type === undefined ? 'no resourceType' : `resourceType ${shown(type)}`;
		throw new BodyError(`expected a FHIR Immunization or a Bundle of them, got ${got}`);
	}
	if (res.entry !== undefined && !Array.isArray(res.entry)) {
		throw new BodyError('Bundle.entry: expected an array');
	}
	const entries = asArray(res.entry).map(asObject);
	const resolve: Resolve = (reference) =>
		asObject(entries.find((e) => e?.fullUrl === reference)?.resource);
	entries.forEach((entry, index) => {
		const resource = entry?.resource;
		// An entry without a resource (a DELETE or GET request) carries no dose.
		if (resource === undefined) return;
		const r = asObject(resource);
		if (typeof r?.resourceType !== 'string') {
			add(out, index, fail('entry.resource: has no resourceType'), resource);
		} else if (r.resourceType === 'Immunization') {
			add(out, index, mapImmunization(r, resolve), resource);
		}
		// Patient, Parameters and the rest are context, not doses: skipped, not rejected.
	});
	return out;
}
