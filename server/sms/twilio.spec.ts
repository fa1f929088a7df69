import { describe, expect, it } from 'vitest';
import { smsFixture } from '../../tests/fixtures/sms';
import { BodyError } from '../feeds/parse/types';
import {
	formPairs,
	parseTwilioBody,
	reparseTwilio,
	signedUrlVariants,
	twilioSignature,
	verifyTwilioSignature
} from './twilio';

const at = new Date('2021-01-16T03:45:00Z');
const form = (name: string) =>
	parseTwilioBody(smsFixture(name), 'application/x-www-form-urlencoded; charset=utf-8', at);

describe('Twilio status callbacks', () => {
	it.each([
		['twilio-undelivered-30003.form', 'undelivered', '30003', 'expired'],
		['twilio-undelivered-30005.form', 'undelivered', '30005', 'invalid_number'],
		['twilio-undelivered-30006.form', 'undelivered', '30006', 'invalid_number'],
		['twilio-undelivered-30007.form', 'undelivered', '30007', 'dlt_rejected'],
		['twilio-failed-30008.form', 'failed', '30008', 'unknown'],
		['twilio-failed-21610.form', 'failed', '21610', 'dnd_blocked']
	])('%s is a %s report with ErrorCode %s in group %s', (name, status, code, group) => {
		const { items, rejected } = form(name);
		expect(rejected).toEqual([]);
		expect(items).toHaveLength(1);
		const report = items[0].value;
		expect(report).toMatchObject({
			status,
			errorCode: code,
			reasonGroup: group,
			provider: 'twilio'
		});
		expect(report.messageId).toMatch(/^SM\w{32}$/);
		// No time of its own: the time it arrived.
		expect(report.at).toEqual(at);
	});

	it('reads the minimal and the Messaging Service forms', () => {
		const delivered = form('twilio-delivered-minimal.form').items[0].value;
		expect(delivered).toMatchObject({ status: 'delivered', errorCode: null, reasonGroup: null });
		const sent = form('twilio-sent-messagingservice.form').items[0].value;
		expect(sent).toMatchObject({
			messageId: 'SM0c3b7f91d2e84a6c9b1f5e2d7a4c8b60',
			status: 'sent',
			reasonGroup: null
		});
	});

	it('maps every MessageStatus Twilio sends for an outbound message', () => {
		const status = (s: string) =>
			parseTwilioBody(`MessageSid=SM1&MessageStatus=${s}`, '', at).items[0]?.value.status;
		expect(['accepted', 'scheduled', 'queued'].map(status)).toEqual(['queued', 'queued', 'queued']);
		expect(['sending', 'sent'].map(status)).toEqual(['sent', 'sent']);
		expect(['delivered', 'read'].map(status)).toEqual(['delivered', 'delivered']);
		expect(['undelivered', 'failed', 'canceled'].map(status)).toEqual([
			'undelivered',
			'failed',
			'failed'
		]);
	});

	it('refuses an inbound status and a callback without a MessageSid, keeping the fields', () => {
		const inbound = form('twilio-inbound-receiving.form');
		expect(inbound.items).toEqual([]);
		expect(inbound.rejected[0].error).toMatch(/MessageStatus: not a delivery status: "receiving"/);
		expect(inbound.rejected[0].raw).toMatchObject({
			fields: { MessageStatus: 'receiving' },
			receivedAt: at.toISOString()
		});
		const noSid = parseTwilioBody('MessageStatus=delivered', '', at);
		expect(noSid.rejected[0].error).toBe('MessageSid: required');
	});

	it('reads a quarantined callback again with its original time', () => {
		const { rejected } = parseTwilioBody('MessageSid=SM9&MessageStatus=bogus', '', at);
		const raw = rejected[0].raw as { fields: Record<string, string> };
		raw.fields.MessageStatus = 'delivered';
		const again = reparseTwilio(raw);
		expect(again.items[0].value).toMatchObject({ messageId: 'SM9', status: 'delivered', at });
	});

	it('reads the same fields as a JSON object, and refuses other bodies as a whole', () => {
		const json = parseTwilioBody(
			JSON.stringify({ MessageSid: 'SM2', MessageStatus: 'failed', ErrorCode: 30006 }),
			'application/json',
			at
		);
		expect(json.items[0].value).toMatchObject({
			errorCode: '30006',
			reasonGroup: 'invalid_number'
		});
		expect(() => parseTwilioBody('{oops', 'application/json', at)).toThrow(BodyError);
		expect(() => parseTwilioBody('x', 'text/plain', at)).toThrow(/unsupported content type/);
	});
});

describe('X-Twilio-Signature', () => {
	// The SMS example of Twilio's own request validator tests (twilio-ruby).
	const token = '2bd9e9638872de601313dc77410d3b23';
	const url = 'http://twiliotests.heroku.com/validate/sms';
	const params: Record<string, string> = {
		ToState: 'CA',
		FromState: 'CA',
		AccountSid: 'ACba8bc05eacf94afdae398e642c9cc32d',
		SmsMessageSid: 'SM2003cbd5e6a3701999aa3e5f20ff2787',
		Body: 'Orly',
		From: '+14159354345',
		FromCity: 'SAN FRANCISCO',
		SmsStatus: 'received',
		FromZip: '94107',
		FromCountry: 'US',
		To: '+14158141819',
		ToCity: 'SAN FRANCISCO',
		ToZip: '94105',
		ToCountry: 'US',
		ApiVersion: '2010-04-01',
		SmsSid: 'SM2003cbd5e6a3701999aa3e5f20ff2787'
	};

	it("matches Twilio's published example", () => {
		expect(twilioSignature(token, url, params)).toBe('mxeiv65lEe0b8L6LdVw2jgJi8yw=');
		const pairs = Object.entries(params);
		expect(verifyTwilioSignature(token, url, pairs, 'mxeiv65lEe0b8L6LdVw2jgJi8yw=')).toBe(true);
	});

	it('fails for another token, URL, field value or a missing header', () => {
		const pairs = Object.entries(params);
		const good = 'mxeiv65lEe0b8L6LdVw2jgJi8yw=';
		expect(verifyTwilioSignature('other', url, pairs, good)).toBe(false);
		expect(verifyTwilioSignature(token, `${url}?x=1`, pairs, good)).toBe(false);
		const changed = pairs.map(([k, v]): [string, string] => [k, k === 'Body' ? 'Orly!' : v]);
		expect(verifyTwilioSignature(token, url, changed, good)).toBe(false);
		expect(verifyTwilioSignature(token, url, pairs, undefined)).toBe(false);
		expect(verifyTwilioSignature(token, url, pairs, 'short')).toBe(false);
	});

	it('accepts the URL with or without its default port', () => {
		expect(signedUrlVariants('https://cc.example.gov.in/x?token=a')).toEqual([
			'https://cc.example.gov.in/x?token=a',
			'https://cc.example.gov.in:443/x?token=a'
		]);
		expect(signedUrlVariants('http://h:80/x')).toEqual(['http://h:80/x', 'http://h/x']);
		expect(signedUrlVariants('http://h:8080/x')).toEqual(['http://h:8080/x']);
		const body = 'MessageSid=SM1&MessageStatus=sent';
		const sig = twilioSignature(token, 'https://h:443/cb', formPairs(body));
		expect(verifyTwilioSignature(token, 'https://h/cb', formPairs(body), sig)).toBe(true);
	});
});
