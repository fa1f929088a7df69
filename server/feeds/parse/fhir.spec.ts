import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../tests/fixtures/feeds';
import { parseDoseBody } from './doses';
import { BodyError } from './types';

type Json = Record<string, unknown>;
const opts = { timeZone: 'Asia/Kolkata' };
const fhir = (body: unknown, type = 'application/fhir+json') =>
	parseDoseBody(JSON.stringify(body), type, opts);
const immunization = () => fixtureJson<Json>('fhir-immunization.json');
/** The single rejection's error for an Immunization changed by `edit`. */
const errorFor = (edit: (r: Json) => void) => {
	const r = immunization();
	edit(r);
	const out = fhir(r);
	expect(out.items).toEqual([]);
	return out.rejected[0].error;
};

describe('FHIR Immunization', () => {
	it('maps a single Immunization as the contract says', () => {
		const r = fhir(immunization(), 'application/fhir+json; fhirVersion=4.0');
		expect(r.rejected).toEqual([]);
		expect(r.items.map(({ index, value }) => ({ index, value }))).toEqual([
			{
				index: 0,
				value: {
					id: 'KA-DOSE-000123',
					siteCode: 'KA-BLR-0042',
					occurredAt: new Date('2021-01-16T05:12:00Z'),
					vaccine: 'COVISHIELD',
					dose: 1,
					beneficiaryRef: 'ben-4471',
					vaccinatorRef: 'vac-77',
					sessionId: null,
					source: 'live',
					status: 'completed'
				}
			}
		]);
	});

	it('is recognised by resourceType when sent as application/json', () => {
		expect(fhir(immunization(), 'application/json').items[0].value.id).toBe('KA-DOSE-000123');
	});

	it('falls back: id as key, identifiers for site and patient, text as vaccine', () => {
		const r = immunization();
		delete r.identifier;
		r.location = { identifier: { value: 'KA-MYS-0007' }, reference: 'Location/ignored' };
		r.patient = { identifier: { system: 'x', value: 'BEN-77' } };
		r.vaccineCode = { text: ' Covaxin ' };
		r.performer = [{ actor: { display: 'PHC' } }, { actor: { reference: 'Practitioner/vac-9' } }];
		delete r.protocolApplied;
		expect(fhir(r).items[0].value).toMatchObject({
			id: 'imm-blr-0042-000123',
			siteCode: 'KA-MYS-0007',
			beneficiaryRef: 'BEN-77',
			vaccine: 'Covaxin',
			vaccinatorRef: 'vac-9',
			dose: null
		});
	});

	it('reads absolute and versioned references', () => {
		const r = immunization();
		r.location = { reference: 'https://fhir.example.org/r4/Location/KA-BLR-0099/_history/3' };
		r.patient = { reference: 'urn:uuid:0d3a8f52-2c1e-4b7a-9f10-5e6d7c8b9a01' };
		r.performer = [];
		expect(fhir(r).items[0].value).toMatchObject({
			siteCode: 'KA-BLR-0099',
			beneficiaryRef: '0d3a8f52-2c1e-4b7a-9f10-5e6d7c8b9a01',
			vaccinatorRef: null
		});
	});

	it('reads a numeric doseNumberString and treats free text as unknown', () => {
		const dose = (protocol: unknown) => {
			const r = immunization();
			r.protocolApplied = [protocol];
			return fhir(r).items[0].value.dose;
		};
		expect(dose({ doseNumberString: '2' })).toBe(2);
		expect(dose({ doseNumberString: 'Booster' })).toBeNull();
	});

	it('marks entered-in-error so the writer withdraws the dose under that key', () => {
		const r = immunization();
		r.status = 'entered-in-error';
		const [item] = fhir(r).items;
		expect(item.value.id).toBe('KA-DOSE-000123');
		expect(item.value.status).toBe('entered_in_error');
	});

	it('rejects not-done: it is not an administered dose', () => {
		const notDone = fixtureJson('fhir-immunization-not-done.json');
		expect(fhir(notDone)).toEqual({
			items: [],
			rejected: [{ index: 0, error: 'status not-done: not an administered dose', raw: notDone }]
		});
	});

	it('rejects a resource with neither identifier nor id', () => {
		expect(
			errorFor((r) => {
				delete r.identifier;
				delete r.id;
			})
		).toBe('no identifier or id: cannot be made idempotent');
	});

	it('rejects a dose with no location', () => {
		expect(errorFor((r) => delete r.location)).toBe('no location: the site is unknown');
		expect(errorFor((r) => (r.location = { reference: 'Organization/hl7' }))).toBe(
			'location.reference: expected Location/<id>, got "Organization/hl7"'
		);
	});

	it('rejects times that are not an instant with an offset', () => {
		expect(errorFor((r) => (r.occurrenceDateTime = '2021-01-16'))).toBe(
			'occurrenceDateTime: "2021-01-16" has no time of day; a dose needs the time it was given, with a UTC offset'
		);
		expect(errorFor((r) => (r.occurrenceDateTime = '2021-01-16T10:42:00'))).toBe(
			'occurrenceDateTime: must be ISO-8601 with a UTC offset, got "2021-01-16T10:42:00"'
		);
		expect(
			errorFor((r) => {
				delete r.occurrenceDateTime;
				r.occurrenceString = 'January 2021';
			})
		).toBe(
			'occurrenceString "January 2021" is not a time: send occurrenceDateTime with a UTC offset'
		);
	});

	it('rejects other missing or malformed parts, all reasons at once', () => {
		expect(
			errorFor((r) => {
				r.status = 'completed ';
				delete r.patient;
				r.vaccineCode = { coding: [{ system: 'x' }] };
				r.protocolApplied = [{ doseNumberPositiveInt: 0 }];
			})
		).toBe(
			'status: must be completed or entered-in-error, got "completed "; ' +
				'protocolApplied[0].doseNumberPositiveInt: must be an integer from 1 to 10, got 0; ' +
				'patient: needs an identifier or a reference; ' +
				'vaccineCode: needs a coding code or a text'
		);
		expect(errorFor((r) => delete r.status)).toBe('status: required');
		expect(errorFor((r) => (r.patient = { reference: 'Group/g1' }))).toBe(
			'patient.reference: expected Patient/<id>, got "Group/g1"'
		);
		expect(errorFor((r) => (r.identifier = [{ value: 'k'.repeat(201) }]))).toBe(
			'identifier: must be at most 200 characters'
		);
	});
});

describe('FHIR Bundle', () => {
	const bundle = fixtureJson<{ entry: { resource: Json }[] }>('fhir-bundle-collection.json');
	const r = fhir(bundle);

	it('keeps the Immunizations with their entry index and skips Patient and Parameters', () => {
		expect(r.items.map((i) => i.index)).toEqual([1, 2]);
		expect(r.items[0].value).toEqual({
			id: 'KA-DOSE-000200',
			siteCode: 'KA-BLR-0042',
			occurredAt: new Date('2021-01-16T05:35:00Z'),
			vaccine: '210',
			dose: 1,
			// resource:0 is the Bundle's Patient: its identifier names the beneficiary.
			beneficiaryRef: 'BEN-9001',
			vaccinatorRef: null,
			sessionId: null,
			source: 'live',
			status: 'completed'
		});
		expect(r.items[1].value).toMatchObject({
			id: 'imm-blr-0042-000201',
			siteCode: 'KA-BLR-0043',
			occurredAt: new Date('2021-02-13T09:15:30Z'),
			vaccine: 'Covaxin',
			dose: 2,
			beneficiaryRef: '6f1c2a9e-5b0d-4c38-9a51-2f4e7d8c1b03',
			vaccinatorRef: 'vac-12'
		});
	});

	it('rejects only the date-only Immunization, keeping the resource as raw', () => {
		expect(r.rejected).toEqual([
			{
				index: 3,
				error:
					'occurrenceDateTime: "2021-02-13" has no time of day; a dose needs the time it was given, with a UTC offset',
				raw: bundle.entry[3].resource
			}
		]);
	});

	it('rejects an entry resource without resourceType, skips entries without a resource', () => {
		const b = {
			resourceType: 'Bundle',
			type: 'transaction',
			entry: [
				{ request: { method: 'DELETE', url: 'Immunization/x' } },
				{ resource: { id: 'imm-1' } }
			]
		};
		expect(fhir(b).rejected).toEqual([
			{ index: 1, error: 'entry.resource: has no resourceType', raw: { id: 'imm-1' } }
		]);
		expect(fhir({ resourceType: 'Bundle', type: 'searchset', total: 0 })).toEqual({
			items: [],
			rejected: []
		});
	});

	it('refuses bodies that are neither an Immunization nor a Bundle', () => {
		expect(() => fhir({ resourceType: 'Patient' })).toThrow(
			new BodyError('expected a FHIR Immunization or a Bundle of them, got resourceType "Patient"')
		);
		expect(() => fhir([immunization()])).toThrow(/got no resourceType/);
		expect(() => fhir({ resourceType: 'Bundle', entry: {} })).toThrow(
			'Bundle.entry: expected an array'
		);
	});
});
