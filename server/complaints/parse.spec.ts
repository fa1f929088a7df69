import { describe, expect, it } from 'vitest';
import { BodyError } from '../feeds/parse';
import { parseComplaints } from './parse';

const now = new Date('2021-01-16T05:00:00Z');
const parse = (body: unknown) => parseComplaints(JSON.stringify(body), now);

describe('complaints sent to the API', () => {
	it('reads a complete complaint', () => {
		const out = parse([
			{
				id: 'wa-1',
				at: '2021-01-16T10:15:00+05:30',
				channel: 'whatsapp',
				category: 'otp_not_received',
				siteCode: ' P1 ',
				callerPhone: '098765 43210',
				notes: 'No OTP since 9',
				priority: 'high'
			}
		]);
		expect(out.rejected).toEqual([]);
		expect(out.items[0].value).toEqual({
			id: 'wa-1',
			at: new Date('2021-01-16T04:45:00Z'),
			channel: 'whatsapp',
			category: 'otp_not_received',
			siteCode: 'P1',
			districtCode: null,
			callerPhone: '+919876543210',
			notes: 'No OTP since 9',
			priority: 'high'
		});
	});

	it('fills in what may be left out', () => {
		const out = parse([{ channel: 'phone', category: 'other', callerPhone: '', notes: null }]);
		expect(out.items[0].value).toMatchObject({
			id: null,
			at: null,
			siteCode: null,
			callerPhone: null,
			notes: null,
			priority: null
		});
	});

	it('rejects each bad item alone, saying why', () => {
		const out = parse([
			{ channel: 'phone', category: 'otp_not_received' },
			{ channel: 'fax', category: 'otp_not_received' },
			{ channel: 'phone', category: 'otp_not_received', callerPhone: 'call back later' },
			{ channel: 'phone', category: 'otp_not_received', at: '2021-01-16 10:00' },
			{ channel: 'phone', category: 'otp_not_received', at: '2021-01-16T06:00:00Z' },
			{ channel: 'phone', category: 'otp_not_received', id: 'a/b' },
			'not an object',
			{ channel: 'phone', category: 'otp_not_received', priority: 'critical' }
		]);
		expect(out.items.map((i) => i.index)).toEqual([0]);
		expect(out.rejected.map((r) => [r.index, r.error])).toEqual([
			[1, 'channel: must be one of phone, web, whatsapp, other, got "fax"'],
			[2, 'callerPhone: must be a phone number, got "call back later"'],
			[3, 'at: must be ISO-8601 with a UTC offset, got "2021-01-16 10:00"'],
			[4, 'at: is in the future (2021-01-16T06:00:00.000Z)'],
			[5, 'id: must not contain spaces, "/", "?" or "#"'],
			[6, 'must be a JSON object, got "not an object"'],
			[7, 'priority: must be one of low, normal, high, urgent, got "critical"']
		]);
		expect(out.rejected[0].raw).toEqual({ channel: 'fax', category: 'otp_not_received' });
	});

	it('takes a single complaint as a batch of one', () => {
		expect(parse({ channel: 'web', category: 'long_queue' }).items).toHaveLength(1);
	});

	it('refuses a body that is not JSON', () => {
		expect(() => parseComplaints('channel=phone', now)).toThrow(BodyError);
		expect(() => parse('a string')).toThrow(BodyError);
	});
});
