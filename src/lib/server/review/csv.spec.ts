import { describe, expect, it } from 'vitest';
import { reviewCsv } from './csv';

describe('reviewCsv', () => {
	it('writes the contract header and one line per row, an unset target as an empty cell', () => {
		const csv = reviewCsv([
			{
				district: '521',
				date: '2021-01-16',
				doses: 120,
				target: null,
				sessionsPlanned: 4,
				sessionsHeld: 3,
				smsSent: 50,
				smsDelivered: 41,
				sitesWentManual: 1,
				complaintsOpened: 2,
				complaintsResolved: 1
			},
			{
				district: '=cmd',
				date: '2021-01-17',
				doses: 0,
				target: 500,
				sessionsPlanned: 0,
				sessionsHeld: 0,
				smsSent: 0,
				smsDelivered: 0,
				sitesWentManual: 0,
				complaintsOpened: 0,
				complaintsResolved: 0
			}
		]);
		expect(csv).toBe(
			'district,date,doses,target,sessionsPlanned,sessionsHeld,smsSent,smsDelivered,sitesWentManual,complaintsOpened,complaintsResolved\r\n' +
				'521,2021-01-16,120,,4,3,50,41,1,2,1\r\n' +
				"'=cmd,2021-01-17,0,500,0,0,0,0,0,0,0\r\n"
		);
	});
});
