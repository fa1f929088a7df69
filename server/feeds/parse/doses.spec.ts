import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../tests/fixtures/feeds';
import { doseEvent, fastDoseEvent, parseDoseBody } from './doses';
import { BodyError } from './types';

const opts = { timeZone: 'Asia/Kolkata' };
const JSON_TYPE = 'application/json';

const event = (n: number) => ({
	id: `KA-DOSE-${String(n).padStart(6, '0')}`,
	siteCode: 'KA-BLR-0042',
	occurredAt: '2021-01-16T10:00:00+05:30',
	vaccine: 'COVISHIELD',
	dose: 1,
	beneficiaryRef: `BEN-${n}`
});

const parse = (body: unknown, type = JSON_TYPE) => parseDoseBody(JSON.stringify(body), type, opts);

describe('parseDoseBody: JSON array of DoseEvent', () => {
	it('normalises a full event', () => {
		const r = parse([
			{
				...event(1),
				id: ' KA-DOSE-1 ',
				occurredAt: '2021-01-16T10:00:00+05:30',
				vaccinatorRef: 'VAC-0091',
				sessionId: 'S-0042-0116',
				source: 'backfill',
				deviceModel: 'ignored'
			}
		]);
		expect(r.rejected).toEqual([]);
		expect(r.items.map(({ index, value }) => ({ index, value }))).toEqual([
			{
				index: 0,
				value: {
					id: 'KA-DOSE-1',
					siteCode: 'KA-BLR-0042',
					occurredAt: new Date('2021-01-16T04:30:00Z'),
					vaccine: 'COVISHIELD',
					dose: 1,
					beneficiaryRef: 'BEN-1',
					vaccinatorRef: 'VAC-0091',
					sessionId: 'S-0042-0116',
					source: 'backfill',
					status: 'completed'
				}
			}
		]);
	});

	it('defaults source to live and absent optional fields to null', () => {
		const [item] = parse([event(2)]).items;
		expect(item.value.source).toBe('live');
		expect(item.value.vaccinatorRef).toBeNull();
		expect(item.value.sessionId).toBeNull();
		expect(item.value.status).toBe('completed');
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[
				{ ...event(1), occurredAt: '2021-01-16 10:00' },
				'occurredAt: must be ISO-8601 with a UTC offset, got "2021-01-16 10:00"'
			],
			[{ ...event(1), siteCode: undefined }, 'siteCode: required'],
			[{ ...event(1), id: '   ' }, 'id: must not be empty'],
			[
				{ ...event(1), beneficiaryRef: 'b'.repeat(201) },
				'beneficiaryRef: must be at most 200 characters'
			],
			[{ ...event(1), dose: 0 }, 'dose: must be an integer from 1 to 10, got 0'],
			[{ ...event(1), dose: 11 }, 'dose: must be an integer from 1 to 10, got 11'],
			[{ ...event(1), dose: '1' }, 'dose: must be an integer from 1 to 10, got "1"'],
			[{ ...event(1), source: 'paper' }, 'source: must be one of live, backfill, got "paper"'],
			[{ ...event(1), vaccine: 42 }, 'vaccine: must be a string, got 42'],
			[['KA-DOSE-1'], 'must be a JSON object, got ["KA-DOSE-1"]']
		];
		const r = parse(cases.map(([body]) => body));
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
		expect(r.rejected[0].raw).toEqual(cases[0][0]);
	});

	it('keeps 99 of 100 when one item is bad, and names its index', () => {
		const body = Array.from({ length: 100 }, (_, i) => event(i));
		body[57] = { ...event(57), occurredAt: '16/01/2021 10:00' };
		const r = parse(body);
		expect(r.items).toHaveLength(99);
		expect(r.items.map((i) => i.index)).not.toContain(57);
		expect(r.items[57].value.id).toBe('KA-DOSE-000058');
		expect(r.rejected).toEqual([
			{
				index: 57,
				error: 'occurredAt: must be ISO-8601 with a UTC offset, got "16/01/2021 10:00"',
				raw: body[57]
			}
		]);
	});

	it('refuses a body that is not an array', () => {
		expect(() => parse(event(1))).toThrow(new BodyError('expected a JSON array of DoseEvent'));
		expect(() => parseDoseBody('[{', JSON_TYPE, opts)).toThrow(/^invalid JSON/);
	});

	it('ignores Content-Type parameters and case', () => {
		expect(parse([event(1)], 'Application/JSON; charset=utf-8').items).toHaveLength(1);
	});

	it('refuses an unsupported Content-Type, naming the supported ones', () => {
		expect(() => parse([event(1)], 'text/csv')).toThrow(
			'unsupported Content-Type "text/csv": send application/json, application/x-ndjson or application/fhir+json'
		);
	});
});

describe('parseDoseBody: NDJSON', () => {
	const r = parseDoseBody(fixtureText('doses.ndjson'), 'application/x-ndjson; charset=utf-8', opts);

	it('reads one event per non-blank line', () => {
		expect(r.items.map((i) => [i.index, i.value.id])).toEqual([
			[0, 'KA-DOSE-000301'],
			[2, 'KA-DOSE-000303']
		]);
		expect(r.items[1].value).toMatchObject({
			occurredAt: new Date('2021-01-16T03:40:00Z'),
			dose: 2,
			sessionId: 'S-0042-0116',
			source: 'backfill'
		});
	});

	it('rejects a broken line alone, with its text as raw and its file line in the error', () => {
		expect(r.rejected).toHaveLength(2);
		const [broken, naive] = r.rejected;
		expect(broken.index).toBe(1);
		expect(broken.error).toMatch(/^line 3 is not JSON: /);
		expect(broken.raw).toBe(
			'{"id":"KA-DOSE-000302","siteCode":"KA-BLR-0042","occurredAt":"2021-01-16T09:07:00+05:30","vaccine":"COVISHIELD","dose":1,"beneficiaryRef":"BEN-3002"'
		);
		expect(naive).toMatchObject({
			index: 3,
			error: 'occurredAt: must be ISO-8601 with a UTC offset, got "2021-01-16 09:12"',
			raw: { id: 'KA-DOSE-000304' }
		});
	});

	it('handles CRLF line ends and an empty body', () => {
		const crlf = `${JSON.stringify(event(1))}\r\n\r\nnot json\r\n`;
		const c = parseDoseBody(crlf, 'application/x-ndjson', opts);
		expect(c.items.map((i) => i.value.id)).toEqual(['KA-DOSE-000001']);
		expect(c.rejected.map((x) => [x.index, x.raw])).toEqual([[1, 'not json']]);
		expect(parseDoseBody('\n\n', 'application/x-ndjson', opts)).toEqual({
			items: [],
			rejected: []
		});
	});
});

describe('fastDoseEvent', () => {
	const base = {
		id: 'D-1',
		siteCode: 'S-1',
		occurredAt: '2021-01-16T10:00:00+05:30',
		vaccine: 'COVAXIN',
		dose: 2,
		beneficiaryRef: 'B-1'
	};
	const variants: unknown[] = [
		base,
		{ ...base, id: '  padded  ', vaccinatorRef: ' V ', sessionId: '', source: 'backfill' },
		{ ...base, vaccinatorRef: null, sessionId: null, source: null, extra: { nested: true } },
		{ ...base, occurredAt: '2021-01-16 04:30:00.123Z' },
		{ ...base, occurredAt: '2021-01-16T10:00:00+0530' },
		{ ...base, id: 'x'.repeat(200) },
		{ ...base, id: 'x'.repeat(201) },
		{ ...base, id: '   ' },
		{ ...base, id: 7 },
		{ ...base, dose: 0 },
		{ ...base, dose: 11 },
		{ ...base, dose: 1.5 },
		{ ...base, dose: '1' },
		{ ...base, occurredAt: '2021-01-16T10:00:00' },
		{ ...base, occurredAt: '2021-02-30T10:00:00Z' },
		{ ...base, source: 'paper' },
		{ ...base, source: '' },
		{ ...base, vaccinatorRef: 5 },
		{ ...base, sessionId: 'y'.repeat(201) },
		{ ...base, beneficiaryRef: undefined },
		[base],
		null,
		'text'
	];

	it('gives exactly what the schema gives, or leaves the item to the schema', () => {
		let fast = 0;
		for (const raw of variants) {
			const quick = fastDoseEvent(raw);
			const schema = doseEvent.safeParse(raw);
			if (quick) {
				fast++;
				expect(schema.success).toBe(true);
				expect(quick).toEqual(schema.data);
			}
		}
		expect(fast).toBe(6);
	});

	it('parses a batch the same with or without the fast path', () => {
		const r = parse(variants);
		expect(r.items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(r.rejected.map((i) => i.index)).toEqual([
			6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
		]);
		expect(r.rejected[0].error).toMatch(/^id: /);
	});
});
