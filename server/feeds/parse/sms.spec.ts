import { describe, expect, it } from 'vitest';
import { parseSmsMessages, parseSmsReports } from './sms';
import { BodyError } from './types';

const opts = { timeZone: 'Asia/Kolkata' };

const message = {
	messageId: 'SM-000001',
	beneficiaryRef: 'BEN-3001',
	siteCode: 'KA-BLR-0042',
	kind: 'appointment',
	sentAt: '2021-01-15T18:00:00+05:30'
};

const report = { messageId: 'SM-000001', status: 'delivered', at: '2021-01-15T12:31:02Z' };

describe('parseSmsMessages', () => {
	it('normalises a message, keeping the phone as given but trimmed', () => {
		const r = parseSmsMessages(
			[
				{ ...message, phone: ' +91 98450 12345 ', sessionDate: '2021-01-16', provider: 'twilio' },
				message
			],
			opts
		);
		expect(r.rejected).toEqual([]);
		expect(r.items.map((i) => i.value)).toEqual([
			{
				messageId: 'SM-000001',
				beneficiaryRef: 'BEN-3001',
				siteCode: 'KA-BLR-0042',
				kind: 'appointment',
				sentAt: new Date('2021-01-15T12:30:00Z'),
				phone: '+91 98450 12345',
				sessionDate: '2021-01-16',
				provider: 'twilio'
			},
			{
				messageId: 'SM-000001',
				beneficiaryRef: 'BEN-3001',
				siteCode: 'KA-BLR-0042',
				kind: 'appointment',
				sentAt: new Date('2021-01-15T12:30:00Z'),
				phone: null,
				sessionDate: null,
				provider: null
			}
		]);
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[
				{ ...message, kind: 'sms' },
				'kind: must be one of appointment, otp, reminder, other, got "sms"'
			],
			[
				{ ...message, sentAt: '2021-01-15T18:00' },
				'sentAt: must be ISO-8601 with a UTC offset, got "2021-01-15T18:00"'
			],
			[
				{ ...message, sessionDate: '2021-01-32' },
				'sessionDate: must be a date YYYY-MM-DD, got "2021-01-32"'
			],
			[
				{ ...message, messageId: undefined, siteCode: '' },
				'messageId: required; siteCode: must not be empty'
			],
			[{ ...message, phone: 9845012345 }, 'phone: must be a string, got 9845012345']
		];
		const r = parseSmsMessages(
			cases.map(([b]) => b),
			opts
		);
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
	});

	it('refuses a body that is not an array', () => {
		expect(() => parseSmsMessages(message, opts)).toThrow(
			new BodyError('expected a JSON array of SmsMessage')
		);
	});
});

describe('parseSmsReports', () => {
	it('normalises reports, with numeric error codes as strings', () => {
		const r = parseSmsReports(
			[
				report,
				{
					...report,
					status: 'undelivered',
					errorCode: 30003,
					reason: 'Unreachable handset',
					provider: 'twilio'
				},
				{ ...report, status: 'failed', errorCode: '000' }
			],
			opts
		);
		expect(r.rejected).toEqual([]);
		expect(r.items.map((i) => i.value)).toEqual([
			{
				messageId: 'SM-000001',
				status: 'delivered',
				at: new Date('2021-01-15T12:31:02Z'),
				errorCode: null,
				reason: null,
				provider: null
			},
			{
				messageId: 'SM-000001',
				status: 'undelivered',
				at: new Date('2021-01-15T12:31:02Z'),
				errorCode: '30003',
				reason: 'Unreachable handset',
				provider: 'twilio'
			},
			{
				messageId: 'SM-000001',
				status: 'failed',
				at: new Date('2021-01-15T12:31:02Z'),
				errorCode: '000',
				reason: null,
				provider: null
			}
		]);
	});

	it('accepts every contract status', () => {
		const statuses = [
			'queued',
			'sent',
			'delivered',
			'failed',
			'undelivered',
			'expired',
			'rejected'
		];
		const r = parseSmsReports(
			statuses.map((status) => ({ ...report, status })),
			opts
		);
		expect(r.items.map((i) => i.value.status)).toEqual(statuses);
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[
				{ ...report, status: 'DELIVRD' },
				'status: must be one of queued, sent, delivered, failed, undelivered, expired, rejected, got "DELIVRD"'
			],
			[{ ...report, at: undefined }, 'at: required'],
			[{ ...report, errorCode: true }, 'errorCode: must be a string or number, got true'],
			[{ ...report, reason: 'r'.repeat(1001) }, 'reason: must be at most 1000 characters']
		];
		const r = parseSmsReports(
			cases.map(([b]) => b),
			opts
		);
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
	});

	it('refuses a body that is not an array', () => {
		expect(() => parseSmsReports({ reports: [] }, opts)).toThrow(
			'expected a JSON array of SmsReport'
		);
	});
});

describe('the fast SmsReport check', () => {
	const cases: unknown[] = [
		report,
		{ ...report, errorCode: 30003, reason: '  Unreachable  ', provider: 'twilio' },
		{ ...report, errorCode: ' ', reason: '', provider: null },
		{ ...report, messageId: '  SM-2  ', at: '2021-01-15 18:01:02+0530' },
		{ ...report, status: 'bounced' },
		{ ...report, at: '2021-01-15T18:01:02' },
		{ ...report, messageId: '' },
		{ ...report, messageId: 'x'.repeat(201) },
		{ ...report, errorCode: { code: 1 } },
		{ ...report, reason: 'r'.repeat(1001) },
		{ ...report, provider: 7 },
		{ messageId: 'SM-1', status: 'sent' },
		null,
		'SM-1'
	];

	it('reads what the schema reads, and leaves the rest to it', async () => {
		const { fastSmsReport, smsReport } = await import('./sms');
		for (const raw of cases) {
			const fast = fastSmsReport(raw);
			const slow = smsReport.safeParse(raw);
			if (fast) expect(slow.success && slow.data, JSON.stringify(raw)).toEqual(fast);
			else if (slow.success) {
				// The fast check may decline odd but valid items: the schema then reads them.
				expect(parseSmsReports([raw], opts).items[0].value).toEqual(slow.data);
			}
		}
		expect(fastSmsReport(report)).not.toBeNull();
		expect(fastSmsReport({ ...report, status: 'bounced' })).toBeNull();
	});
});
