import { describe, expect, it } from 'vitest';
import { parseAppointments } from './appointments';

const opts = { timeZone: 'Asia/Kolkata' };
const appointment = { beneficiaryRef: 'BEN-3001', siteCode: 'KA-BLR-0042', date: '2021-01-16' };

describe('parseAppointments', () => {
	it('normalises appointments', () => {
		const r = parseAppointments(
			[
				{ ...appointment, slot: '09:00AM-11:00AM', name: ' Lakshmi Rao ', phone: '+919845012345' },
				appointment
			],
			opts
		);
		expect(r.rejected).toEqual([]);
		expect(r.items.map(({ index, value }) => ({ index, value }))).toEqual([
			{
				index: 0,
				value: {
					...appointment,
					slot: '09:00AM-11:00AM',
					name: 'Lakshmi Rao',
					phone: '+919845012345'
				}
			},
			{ index: 1, value: { ...appointment, slot: null, name: null, phone: null } }
		]);
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[{ ...appointment, date: '16/01/2021' }, 'date: must be a date YYYY-MM-DD, got "16/01/2021"'],
			[{ ...appointment, beneficiaryRef: undefined }, 'beneficiaryRef: required'],
			[{ ...appointment, siteCode: ' ' }, 'siteCode: must not be empty'],
			[{ ...appointment, name: 'n'.repeat(201) }, 'name: must be at most 200 characters']
		];
		const r = parseAppointments(
			cases.map(([b]) => b),
			opts
		);
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
	});

	it('refuses a body that is not an array', () => {
		expect(() => parseAppointments(appointment, opts)).toThrow(
			'expected a JSON array of Appointment'
		);
	});
});
