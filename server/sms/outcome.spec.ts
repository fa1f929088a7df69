import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	outcomeOfStatus,
	reasonGroupOf,
	smppErrorCodes,
	smppStats,
	twilioErrorCodes,
	twilioStatuses
} from './outcome';

const report = (
	status: Parameters<typeof reasonGroupOf>[0]['status'],
	errorCode: string | null = null,
	reason: string | null = null
) => reasonGroupOf({ status, errorCode, reason });

describe('SMS outcome mapping', () => {
	it('puts each status in one outcome', () => {
		expect(outcomeOfStatus('queued')).toBe('pending');
		expect(outcomeOfStatus('sent')).toBe('pending');
		expect(outcomeOfStatus('delivered')).toBe('delivered');
		for (const s of ['failed', 'undelivered', 'expired', 'rejected'] as const)
			expect(outcomeOfStatus(s)).toBe('failed');
	});

	it('gives no reason group to a report that is not a failure', () => {
		expect(report('delivered', '30003')).toBeNull();
		expect(report('sent', null, 'DND')).toBeNull();
	});

	it('groups Twilio error codes', () => {
		expect(report('undelivered', '30003')).toBe('expired');
		expect(report('undelivered', '30005')).toBe('invalid_number');
		expect(report('undelivered', '30006')).toBe('invalid_number');
		expect(report('undelivered', '30007')).toBe('dlt_rejected');
		expect(report('failed', '30008')).toBe('unknown');
		expect(report('failed', '21610')).toBe('dnd_blocked');
		expect(report('failed', '30001')).toBe('gateway_error');
	});

	it('groups SMPP err values however they are padded', () => {
		expect(report('undelivered', '1')).toBe('invalid_number');
		expect(report('undelivered', '001')).toBe('invalid_number');
		expect(report('undelivered', '013')).toBe('dnd_blocked');
		expect(report('undelivered', '27')).toBe('expired');
	});

	it('reads the words of a reason when the code says nothing', () => {
		expect(report('failed', null, 'Number is registered in DND (NCPR)')).toBe('dnd_blocked');
		expect(report('rejected', 'DLT_TEMPLATE_MISMATCH', null)).toBe('dlt_rejected');
		expect(report('failed', null, 'Header not registered on DLT')).toBe('dlt_rejected');
		expect(report('failed', null, 'Blocked by DLT scrubbing')).toBe('dlt_rejected');
		expect(report('undelivered', null, 'Invalid mobile number')).toBe('invalid_number');
		expect(report('failed', null, 'operator timeout')).toBe('expired');
		expect(report('failed', null, 'SMSC throttled the submission')).toBe('gateway_error');
		expect(report('failed', null, 'something else')).toBe('unknown');
	});

	it('prefers a known code over the words', () => {
		expect(report('failed', '30005', 'gateway error')).toBe('invalid_number');
	});

	it('falls back on the status', () => {
		expect(report('expired')).toBe('expired');
		expect(report('rejected')).toBe('dlt_rejected');
		expect(report('undelivered')).toBe('unknown');
		expect(
			reasonGroupOf({
				status: 'failed',
				errorCode: null,
				reason: null,
				defaultGroup: 'gateway_error'
			})
		).toBe('gateway_error');
	});

	it('is the table docs/sms.md shows', () => {
		const doc = readFileSync(new URL('../../docs/sms.md', import.meta.url), 'utf8');
		const rows = new Map<string, string>();
		for (const line of doc.split('\n')) {
			const cells = line.split('|').map((c) => c.trim());
			// | form | value | status | group | meaning |
			if (cells.length >= 6 && /^`[^`]+`$/.test(cells[2]))
				rows.set(`${cells[1]} ${cells[2].slice(1, -1)}`, `${cells[3]} ${cells[4]}`);
		}
		const expected = new Map<string, string>();
		for (const [k, v] of Object.entries(twilioStatuses))
			expected.set(
				`Twilio MessageStatus ${k}`,
				`${v.status} ${v.group ?? (outcomeOfStatus(v.status) === 'failed' ? 'unknown' : '—')}`
			);
		for (const [k, v] of Object.entries(twilioErrorCodes))
			expected.set(`Twilio ErrorCode ${k}`, `— ${v.group}`);
		for (const [k, v] of Object.entries(smppStats))
			expected.set(`SMPP stat ${k}`, `${v.status} ${v.group ?? '—'}`);
		for (const [k, v] of Object.entries(smppErrorCodes))
			expected.set(`SMPP err ${k}`, `— ${v.group}`);
		for (const [key, value] of expected) expect(rows.get(key), key).toBe(value);
	});
});
