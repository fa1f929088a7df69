import { describe, expect, it } from 'vitest';
import { smsFixture } from '../../tests/fixtures/sms';
import { parseSmppBody, receiptIdVariants, reparseSmpp, smppDate, smppFields } from './smpp';

const IST = 'Asia/Kolkata';
const received = new Date('2021-01-16T04:00:00Z');
const parse = (name: string) => parseSmppBody(smsFixture(name), { timeZone: IST }, received);

describe('SMPP delivery receipts', () => {
	it('reads the SMPP 3.4 form with 10-digit dates in the configured zone', () => {
		const { items, rejected } = parse('smpp-delivrd-10digit-dates.txt');
		expect(rejected).toEqual([]);
		expect(items[0].value).toMatchObject({
			messageId: '0059113978',
			status: 'delivered',
			errorCode: null,
			reasonGroup: null,
			provider: 'smpp'
		});
		// done date 2101160903 is 09:03 IST on 16 January 2021.
		expect(items[0].value.at.toISOString()).toBe('2021-01-16T03:33:00.000Z');
	});

	it('reads 12-digit dates with seconds and a UUID id', () => {
		const r = parse('smpp-12digit-dates-uuid-id.txt').items[0].value;
		expect(r.messageId).toBe('5b0e7c1a-93d4-4f2e-b8a6-1c9d0e2f4a73');
		expect(r.at.toISOString()).toBe('2021-01-16T03:32:47.000Z');
	});

	it('reads fields in any order, with an empty text before stat', () => {
		const inOrder = parse('smpp-12digit-dates-uuid-id.txt').items[0].value;
		const shuffled = parse('smpp-fields-out-of-order.txt').items[0].value;
		expect(shuffled).toEqual(inOrder);
	});

	it('reads receipts without sub and dlvrd, with 14-digit dates and a hex id', () => {
		const r = parse('smpp-no-sub-dlvrd-14digit-dates.txt').items[0].value;
		expect(r).toMatchObject({
			messageId: '8F3A6C21D04B9E7F5A2C1B0D9E8F7A6B',
			status: 'expired',
			reasonGroup: 'expired',
			errorCode: null
		});
		expect(r.at.toISOString()).toBe('2021-01-16T03:44:02.000Z');
	});

	it('strips control bytes and reads the unpadded err', () => {
		const { items, rejected } = parse('smpp-control-bytes-unpadded.txt');
		expect(rejected).toEqual([]);
		expect(items[0].value).toMatchObject({
			messageId: '70451239',
			status: 'undelivered',
			errorCode: '001',
			reasonGroup: 'invalid_number'
		});
	});

	it('maps every stat value to an outcome and a reason group', () => {
		const { items, rejected } = parse('smpp-each-stat.txt');
		expect(rejected).toEqual([]);
		const byId = Object.fromEntries(
			items.map((i) => [i.value.messageId, [i.value.status, i.value.reasonGroup ?? null]])
		);
		expect(byId).toEqual({
			'SMPP-DELIVRD': ['delivered', null],
			'SMPP-EXPIRED': ['expired', 'expired'],
			'SMPP-DELETED': ['failed', 'gateway_error'],
			'SMPP-UNDELIV': ['undelivered', 'invalid_number'],
			'SMPP-ACCEPTD': ['sent', null],
			'SMPP-UNKNOWN': ['failed', 'unknown'],
			'SMPP-REJECTD': ['rejected', 'dlt_rejected']
		});
	});

	it('refuses a bad line alone, with its line and reason, and keeps it for replay', () => {
		const { items, rejected } = parse('smpp-batch-with-bad-lines.txt');
		expect(items.map((i) => [i.index, i.value.messageId])).toEqual([
			[0, 'SMPP-GOOD-1'],
			[2, 'SMPP-GOOD-2']
		]);
		expect(items[1].value).toMatchObject({ errorCode: '013', reasonGroup: 'dnd_blocked' });
		expect(rejected.map((r) => r.index)).toEqual([1, 3]);
		expect(rejected[0].error).toMatch(/^line 2: submit date: must be YYMMDDhhmm/);
		expect(rejected[1].error).toBe('line 4: id: required');
		expect(rejected[0].raw).toEqual({
			line: expect.stringContaining('id:SMPP-BAD-1'),
			receivedAt: received.toISOString(),
			timeZone: IST
		});
		// Fixed by hand, the kept line reads again.
		const raw = rejected[0].raw as { line: string };
		raw.line = raw.line.replace('2101169900', '2101160900');
		expect(reparseSmpp(raw, { timeZone: IST }).items[0].value.messageId).toBe('SMPP-BAD-1');
	});

	it('refuses an unknown stat', () => {
		const { rejected } = parseSmppBody('id:1 stat:LOST', { timeZone: IST }, received);
		expect(rejected[0].error).toMatch(/stat: must be one of DELIVRD/);
	});

	it('uses the receipt time when a receipt has no dates', () => {
		const { items } = parseSmppBody('id:77 stat:DELIVRD', { timeZone: IST }, received);
		expect(items[0].value.at).toEqual(received);
	});

	it('keeps a text holding field names as text', () => {
		const f = smppFields('id:9 stat:DELIVRD err:000 text:id:123 stat:x');
		expect(f).toMatchObject({ id: '9', stat: 'DELIVRD', text: 'id:123 stat:x' });
	});

	it('reads dates in the given zone and refuses impossible ones', () => {
		expect(smppDate('2101160903', 'UTC')?.toISOString()).toBe('2021-01-16T09:03:00.000Z');
		expect(smppDate('20210230090300', IST)).toBeNull();
		expect(smppDate('21011609', IST)).toBeNull();
	});

	it('offers decimal and hex spellings of an id', () => {
		expect(receiptIdVariants('0059113978')).toContain('38601fa');
		expect(receiptIdVariants('38601FA')).toContain('0059113978');
		expect(receiptIdVariants('ABC-1')).toEqual(expect.arrayContaining(['abc-1', 'ABC-1']));
	});
});
