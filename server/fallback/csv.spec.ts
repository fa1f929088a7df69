import { describe, expect, it } from 'vitest';
import { BackfillFormatError, MAX_ROWS, parsePaperTime, parseRegister } from './csv';

const TZ = 'Asia/Kolkata';
const now = new Date('2021-01-16T18:00:00+05:30');
const read = (text: string) => parseRegister(text, { siteCode: 'P1', timeZone: TZ, now });

const HEADER = 'beneficiaryRef,occurredAt,vaccine,dose,vaccinatorRef';

describe('parseRegister', () => {
	it('reads good rows with their file line, a deterministic id and the dose key', () => {
		const { rows, rejected } = read(
			[
				HEADER,
				'B-1,2021-01-16T10:05:00+05:30,COVISHIELD,1,V-7',
				'',
				'B-2,2021-01-16 11:40,COVAXIN,2,'
			].join('\n')
		);
		expect(rejected).toEqual([]);
		expect(rows.map((r) => r.line)).toEqual([2, 4]);
		expect(rows[0].record).toMatchObject({
			id: 'paper:P1:B-1:1:2021-01-16',
			siteCode: 'P1',
			vaccine: 'COVISHIELD',
			dose: 1,
			beneficiaryRef: 'B-1',
			vaccinatorRef: 'V-7',
			source: 'backfill',
			status: 'completed'
		});
		expect(rows[0].record.occurredAt.toISOString()).toBe('2021-01-16T04:35:00.000Z');
		// A time without an offset is read in the state's zone.
		expect(rows[1].record.occurredAt.toISOString()).toBe('2021-01-16T06:10:00.000Z');
		expect(rows[1].record.vaccinatorRef).toBeNull();
		expect(rows[1].key).toBe('B-2|2|2021-01-16');
	});

	it('takes the day of the dose in the state time zone for the key', () => {
		// 23:30 IST on the 15th is 18:00 UTC on the 15th; 00:30 IST on the 16th is the 15th in UTC.
		const { rows } = read(
			[HEADER, 'B-1,2021-01-15T18:00:00Z,X,1,', 'B-2,2021-01-15T19:00:00Z,X,1,'].join('\n')
		);
		expect(rows.map((r) => r.key)).toEqual(['B-1|1|2021-01-15', 'B-2|1|2021-01-16']);
	});

	it('rejects bad rows alone, each with its line and every problem named', () => {
		const text = [
			HEADER,
			'B-1,2021-01-16T10:05:00+05:30,COVISHIELD,1,V-7',
			',yesterday,COVISHIELD,one,V-7',
			'B-3,2021-01-17T10:00:00+05:30,COVISHIELD,1,V-7',
			'B-4,2021-01-16T10:00:00+05:30,COVISHIELD',
			'"B-5',
			'continued",2021-01-16T10:00:00+05:30,,11,'
		].join('\r\n');
		const { rows, rejected } = read(text);
		expect(rows.map((r) => r.line)).toEqual([2]);
		expect(rejected).toEqual([
			{
				line: 3,
				error:
					'beneficiaryRef: required; occurredAt: must be a date and time (ISO-8601, or YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM in Asia/Kolkata), got "yesterday"; dose: must be an integer from 1 to 10, got "one"',
				raw: ',yesterday,COVISHIELD,one,V-7'
			},
			{
				line: 4,
				error: 'occurredAt: "2021-01-17T10:00:00+05:30" is in the future',
				raw: 'B-3,2021-01-17T10:00:00+05:30,COVISHIELD,1,V-7'
			},
			{
				line: 5,
				error: 'expected 5 fields as in the header, got 3',
				raw: 'B-4,2021-01-16T10:00:00+05:30,COVISHIELD'
			},
			// A quoted value over two lines is one row, reported at the line it starts on.
			{
				line: 6,
				error: 'vaccine: required; dose: must be an integer from 1 to 10, got "11"',
				raw: '"B-5\ncontinued",2021-01-16T10:00:00+05:30,,11,'
			}
		]);
	});

	it('matches header names forgiving case and spacing, in any order, ignoring extra columns', () => {
		const { rows, rejected } = read(
			[
				'Dose,Vaccine,Occurred At,Beneficiary Ref,Remarks,id',
				'2,COVAXIN,16/01/2021 09:15,B-9,second visit,R-1',
				'1,COVAXIN,16/01/2021 09:20,B-10,"",,'
			].join('\n')
		);
		expect(rejected).toEqual([]);
		expect(rows[0].record).toMatchObject({ id: 'R-1', dose: 2, beneficiaryRef: 'B-9' });
		expect(rows[0].record.occurredAt.toISOString()).toBe('2021-01-16T03:45:00.000Z');
		// A trailing empty field, as spreadsheets write, is not an extra value.
		expect(rows[1].record.id).toBe('paper:P1:B-10:1:2021-01-16');
	});

	it('refuses a row for another site', () => {
		const { rejected } = read(
			['siteCode,' + HEADER, 'N1,B-1,2021-01-16T10:05:00+05:30,X,1,'].join('\n')
		);
		expect(rejected[0]).toMatchObject({
			line: 2,
			error: 'siteCode: this register is for site P1, got "N1"'
		});
	});

	it('refuses a file without the required columns, or that is not CSV, as a whole', () => {
		expect(() => read('')).toThrow(BackfillFormatError);
		expect(() => read('beneficiaryRef,vaccine\nB-1,X')).toThrow(
			/must name the columns beneficiaryRef, occurredAt, vaccine, dose .*missing: occurredAt, dose/
		);
		expect(() => read(`${HEADER},dose\n`)).toThrow(/column dose appears twice/);
		expect(() => read(`${HEADER}\n"B-1,2021-01-16T10:05:00+05:30,X,1,\n`)).toThrow(
			/not readable as CSV/
		);
		const big = [HEADER, ...Array.from({ length: MAX_ROWS + 1 }, () => 'B,2021-01-16 10:00,X,1,')];
		expect(() => read(big.join('\n'))).toThrow(/at most 50000 per upload/);
	});

	it('skips rows of empty cells and a byte-order mark', () => {
		const { rows, rejected } = read(`\uFEFF${HEADER}\n,,,,\nB-1,2021-01-16 10:00,X,1,\n`);
		expect(rejected).toEqual([]);
		expect(rows).toHaveLength(1);
		expect(rows[0].line).toBe(3);
	});
});

describe('parsePaperTime', () => {
	it('reads offsets, local ISO and day-first local times; refuses impossible ones', () => {
		expect(parsePaperTime('2021-01-16T10:00:00+05:30', TZ)?.toISOString()).toBe(
			'2021-01-16T04:30:00.000Z'
		);
		expect(parsePaperTime('2021-01-16 10:00:30', TZ)?.toISOString()).toBe(
			'2021-01-16T04:30:30.000Z'
		);
		expect(parsePaperTime('16-01-2021 9:05', TZ)?.toISOString()).toBe('2021-01-16T03:35:00.000Z');
		expect(parsePaperTime('31/02/2021 10:00', TZ)).toBeNull();
		expect(parsePaperTime('2021-01-16 25:00', TZ)).toBeNull();
		expect(parsePaperTime('2021-01-16', TZ)).toBeNull();
	});
});
