import { describe, expect, it } from 'vitest';
import { parseTargetsCsv } from './targets-csv';

const districts = {
	codes: new Set(['521', '505', '519']),
	byName: new Map([
		['pune', '521'],
		['nagpur', '505'],
		['mumbaisuburban', '519']
	])
};

describe('parseTargetsCsv', () => {
	it('reads codes or names, digit grouping, and blanks as "keep what is held"', () => {
		const csv =
			'\uFEFFDistrict,Date,Target,Registered\r\n' +
			'521,2021-01-16,"1,20,000",80000\r\n' +
			'"Mumbai Suburban",2021-01-16,6500,\r\n' +
			'\r\n' +
			'nagpur,2021-01-17,,12000\r\n';
		expect(parseTargetsCsv(csv, districts)).toEqual({
			rows: [
				{ districtCode: '521', date: '2021-01-16', target: 120000, registered: 80000 },
				{ districtCode: '519', date: '2021-01-16', target: 6500 },
				{ districtCode: '505', date: '2021-01-17', registered: 12000 }
			],
			rejected: []
		});
	});

	it('takes a file with only one of the two figures', () => {
		expect(parseTargetsCsv('district,date,registered\n521,2021-01-16,5\n', districts).rows).toEqual(
			[{ districtCode: '521', date: '2021-01-16', registered: 5 }]
		);
	});

	it('writes nothing when any row is wrong, and names every wrong row by its line', () => {
		const csv =
			'district,date,target\n' +
			'521,2021-01-16,100\n' +
			'Atlantis,2021-01-16,5\n' +
			'505,2021-02-30,-4\n' +
			'505,2021-01-16,\n' +
			'521,2021-01-16,7\n';
		expect(parseTargetsCsv(csv, districts)).toEqual({
			rows: [],
			rejected: [
				{ line: 3, error: 'district: unknown district "Atlantis"' },
				{
					line: 4,
					error:
						'date: must be a date YYYY-MM-DD, got "2021-02-30"; target: must be a whole number of 0 or more, got "-4"'
				},
				{ line: 5, error: 'neither target nor registered is given' },
				{ line: 6, error: 'the same district and date as line 2' }
			]
		});
	});

	it('needs a header naming the district, the date and a figure', () => {
		expect(parseTargetsCsv('code,day,doses\n521,2021-01-16,4\n', districts).rejected).toEqual([
			{ line: 1, error: 'the header needs a column for district, target or registered' }
		]);
		expect(parseTargetsCsv('district,date,target\n', districts).rejected).toEqual([
			{ line: 1, error: 'no rows after the header' }
		]);
	});

	it('says where a file is not CSV', () => {
		const result = parseTargetsCsv('district,date,target\n521,2021-01-16,"4\n', districts);
		expect(result.rows).toEqual([]);
		expect(result.rejected[0].error).toMatch(/^not readable as CSV/);
	});
});
