import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../tests/fixtures/feeds';
import { parseSessions } from './sessions';
import { BodyError } from './types';

const opts = { timeZone: 'Asia/Kolkata' };

const plan = {
	sessionId: 'S-0042-0116',
	siteCode: 'KA-BLR-0042',
	date: '2021-01-16',
	capacity: 120
};

describe('parseSessions: SessionPlan', () => {
	it('normalises a full plan, site included', () => {
		const r = parseSessions(
			[
				{
					...plan,
					vaccine: 'COVISHIELD',
					startsAt: '2021-01-16T09:00:00+05:30',
					endsAt: '2021-01-16T17:00:00+05:30',
					site: {
						name: ' UPHC Jayanagar ',
						districtCode: '572',
						districtName: 'Bengaluru Urban',
						lat: 12.925,
						lon: 77.593,
						pincode: 560069
					}
				}
			],
			opts
		);
		expect(r.rejected).toEqual([]);
		expect(r.items.map(({ index, value }) => ({ index, value }))).toEqual([
			{
				index: 0,
				value: {
					...plan,
					vaccine: 'COVISHIELD',
					startsAt: new Date('2021-01-16T03:30:00Z'),
					endsAt: new Date('2021-01-16T11:30:00Z'),
					site: {
						name: 'UPHC Jayanagar',
						districtCode: '572',
						districtName: 'Bengaluru Urban',
						lat: 12.925,
						lon: 77.593,
						pincode: '560069'
					}
				}
			}
		]);
	});

	it('leaves out what was not sent', () => {
		const [item] = parseSessions([{ ...plan, site: { name: 'CHC Anekal' } }], opts).items;
		expect(item.value).toEqual({
			...plan,
			vaccine: null,
			startsAt: null,
			endsAt: null,
			site: { name: 'CHC Anekal' }
		});
		expect('site' in parseSessions([plan], opts).items[0].value).toBe(false);
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[{ ...plan, date: '16-01-2021' }, 'date: must be a date YYYY-MM-DD, got "16-01-2021"'],
			[{ ...plan, date: '2021-13-01' }, 'date: must be a date YYYY-MM-DD, got "2021-13-01"'],
			[{ ...plan, capacity: -1 }, 'capacity: must be an integer from 0 to 1000000, got -1'],
			[{ ...plan, sessionId: undefined }, 'sessionId: required'],
			[
				{ ...plan, startsAt: '2021-01-16T09:00:00' },
				'startsAt: must be ISO-8601 with a UTC offset, got "2021-01-16T09:00:00"'
			],
			[
				{ ...plan, startsAt: '2021-01-16T17:00:00+05:30', endsAt: '2021-01-16T09:00:00+05:30' },
				'endsAt: must be after startsAt'
			],
			[
				{ ...plan, site: { lat: 91 } },
				'site.name: required; site.lat: must be a number from -90 to 90, got 91'
			]
		];
		const r = parseSessions(
			cases.map(([body]) => body),
			opts
		);
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
	});

	it('refuses a body that is neither an array nor a CoWIN response', () => {
		expect(() => parseSessions({ plans: [] }, opts)).toThrow(BodyError);
		expect(() => parseSessions('x', opts)).toThrow(/^expected a JSON array of SessionPlan/);
	});
});

describe('parseSessions: CoWIN calendarByDistrict', () => {
	const body = fixtureJson<{ centers: { sessions: unknown[] }[] }>(
		'cowin-calendar-by-district.json'
	);
	const r = parseSessions(body, opts);

	it('gives one record per inner session, under the center index', () => {
		expect(r.items.map((i) => [i.index, i.value.sessionId])).toEqual([
			[0, '0b7e2d51-3c1a-4f8e-9d2b-7a6c5e4f3a21'],
			[0, '5a9f1c3e-8b2d-4e7a-a6c1-0d3b2e9f8c74'],
			[1, 'e9f8a7b6-c5d4-4e3f-a2b1-0c9d8e7f6a5b']
		]);
		expect(r.items[0].value).toEqual({
			sessionId: '0b7e2d51-3c1a-4f8e-9d2b-7a6c5e4f3a21',
			siteCode: '810234',
			date: '2021-01-16',
			capacity: 100,
			vaccine: 'COVISHIELD',
			startsAt: new Date('2021-01-16T03:30:00Z'),
			endsAt: new Date('2021-01-16T11:30:00Z'),
			site: { name: 'UPHC Jayanagar', districtName: 'BBMP', pincode: '560069', lat: 12, lon: 77 }
		});
	});

	it('uses the per-dose sum when it exceeds available_capacity', () => {
		expect(r.items[1].value.capacity).toBe(50);
	});

	it('treats lat/long 0 as unknown and reads a string pincode', () => {
		expect(r.items[2].value.site).toEqual({
			name: 'CHC Anekal',
			districtName: 'Bangalore Urban',
			pincode: '562106'
		});
		expect(r.items[2].value.site).not.toHaveProperty('districtCode');
		expect(r.items[2].value.startsAt).toEqual(new Date('2021-01-16T04:30:00Z'));
	});

	it('rejects only the bad session, naming it, with its center as raw', () => {
		expect(r.rejected).toEqual([
			{
				index: 1,
				error:
					'sessions[0] (session_id "c4d2e8f1-6a3b-4c9d-8e7f-1b2a3c4d5e6f"): date: must be a date DD-MM-YYYY, got "2021-01-16"',
				raw: { ...body.centers[1], sessions: [body.centers[1].sessions[0]] }
			}
		]);
	});

	it('reads start and end in the state time zone', () => {
		const utc = parseSessions(body, { timeZone: 'UTC' });
		expect(utc.items[0].value.startsAt).toEqual(new Date('2021-01-16T09:00:00Z'));
	});
});

describe('parseSessions: CoWIN bare centers array', () => {
	const body = fixtureJson<unknown[]>('cowin-centers-array.json');
	const r = parseSessions(body, opts);

	it('reads centers given as a bare array', () => {
		expect(r.items.map(({ index, value }) => ({ index, value }))).toEqual([
			{
				index: 0,
				value: {
					sessionId: '7d6c5b4a-3928-4716-a5b4-c3d2e1f0a9b8',
					siteCode: '620118',
					date: '2021-01-18',
					capacity: 75,
					vaccine: 'COVISHIELD',
					startsAt: new Date('2021-01-18T04:00:00Z'),
					endsAt: new Date('2021-01-18T10:00:00Z'),
					site: {
						name: 'Govt Hospital Ramanagara',
						districtName: 'Ramanagara',
						pincode: '562159',
						lat: 12.72,
						lon: 77.28
					}
				}
			}
		]);
	});

	it('rejects a center that is itself bad, as a whole', () => {
		expect(r.rejected).toEqual([{ index: 1, error: 'name: required', raw: body[1] }]);
	});

	it('rejects a center whose sessions is not an array', () => {
		const bad = parseSessions([{ center_id: 1, name: 'X', sessions: 'none' }], opts);
		expect(bad.rejected[0].error).toBe('sessions: must be an array, got "none"');
	});
});

describe('parseSessions: CoWIN findByDistrict', () => {
	const body = fixtureJson<{ sessions: unknown[] }>('cowin-find-by-district.json');
	const r = parseSessions(body, opts);

	it('reads each flat session', () => {
		expect(r.items.map(({ index, value }) => ({ index, value }))).toEqual([
			{
				index: 0,
				value: {
					sessionId: '1e2d3c4b-5a69-4788-b9a0-c1d2e3f4a5b6',
					siteCode: '705511',
					date: '2021-01-16',
					capacity: 40,
					vaccine: 'COVISHIELD',
					startsAt: new Date('2021-01-16T03:30:00Z'),
					endsAt: new Date('2021-01-16T11:30:00Z'),
					site: {
						name: 'UPHC Marathahalli',
						districtName: 'BBMP',
						pincode: '560037',
						lat: 12,
						lon: 77
					}
				}
			}
		]);
	});

	it('rejects a session with a bad capacity, by its index', () => {
		expect(r.rejected).toEqual([
			{
				index: 1,
				error: 'available_capacity: must be an integer from 0 to 1000000, got -5',
				raw: body.sessions[1]
			}
		]);
	});

	it('also accepts flat CoWIN sessions given as a bare array', () => {
		expect(parseSessions(body.sessions, opts).items.map((i) => i.value.siteCode)).toEqual([
			'705511'
		]);
	});

	it('rejects a bad center id and a bad opening time', () => {
		const s = body.sessions[0] as Record<string, unknown>;
		const bad = parseSessions(
			{
				sessions: [
					{ ...s, center_id: '' },
					{ ...s, from: '9am' }
				]
			},
			opts
		);
		expect(bad.rejected.map((x) => x.error)).toEqual([
			'center_id: must be a non-empty id',
			'from: must be a time HH:MM:SS'
		]);
	});
});
