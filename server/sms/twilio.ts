/**
 * Twilio-style status callbacks: one form-encoded report per request (`MessageSid`,
 * `MessageStatus`, `ErrorCode`, …), and the `X-Twilio-Signature` that proves Twilio sent it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SmsReportRecord } from '../../src/lib/shared/feeds';
import { MAX_ID, MAX_TEXT, shown } from '../feeds/parse/fields';
import { BodyError, type Parsed } from '../feeds/parse/types';
import { reasonGroupOf, twilioStatuses } from './outcome';

/** What is kept in quarantine for a refused callback: its fields and when it came. */
export interface TwilioRaw {
	fields: Record<string, string>;
	receivedAt: string;
}

const baseType = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

/**
 * The callback's fields. Twilio posts `application/x-www-form-urlencoded`; a JSON object of
 * the same fields is read too (gateways and relays that re-encode callbacks).
 */
export function readTwilioFields(text: string, contentType: string): Record<string, string> {
	const type = baseType(contentType);
	if (type === 'application/json' || (type === '' && /^\s*\{/.test(text))) {
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			throw new BodyError('not JSON: expected a Twilio status callback');
		}
		if (!body || typeof body !== 'object' || Array.isArray(body))
			throw new BodyError('expected a JSON object of Twilio status callback fields');
		const fields: Record<string, string> = {};
		for (const [k, v] of Object.entries(body))
			if (v !== null && v !== undefined) fields[k] = String(v);
		return fields;
	}
	if (type !== '' && type !== 'application/x-www-form-urlencoded')
		throw new BodyError(
			`unsupported content type ${type}: send application/x-www-form-urlencoded as Twilio does`
		);
	const fields: Record<string, string> = {};
	for (const [k, v] of new URLSearchParams(text)) fields[k] = v;
	return fields;
}

const trimmed = (v: string | undefined) => (v ?? '').trim();

/**
 * One callback as a report. Twilio says nothing of when the status changed (RawDlrDoneDate
 * has minutes only and no time zone), so `at` is when the callback arrived.
 */
export function readTwilioReport(
	raw: TwilioRaw
): { ok: true; value: SmsReportRecord } | { ok: false; error: string } {
	const f = raw.fields;
	const messageId = trimmed(f.MessageSid) || trimmed(f.SmsSid);
	if (!messageId) return { ok: false, error: 'MessageSid: required' };
	if (messageId.length > MAX_ID)
		return { ok: false, error: `MessageSid: must be at most ${MAX_ID} characters` };
	const given = trimmed(f.MessageStatus) || trimmed(f.SmsStatus);
	if (!given) return { ok: false, error: 'MessageStatus: required' };
	const mapped = twilioStatuses[given.toLowerCase()];
	if (!mapped)
		return {
			ok: false,
			error: `MessageStatus: not a delivery status: ${shown(given)} (expected one of ${Object.keys(twilioStatuses).join(', ')})`
		};
	const errorCode = trimmed(f.ErrorCode) || null;
	if (errorCode && errorCode.length > MAX_ID)
		return { ok: false, error: `ErrorCode: must be at most ${MAX_ID} characters` };
	const reason = trimmed(f.ErrorMessage).slice(0, MAX_TEXT) || null;
	const at = new Date(raw.receivedAt);
	if (Number.isNaN(at.getTime())) return { ok: false, error: 'receivedAt: not a time' };
	const value: SmsReportRecord = {
		messageId,
		status: mapped.status,
		at,
		errorCode,
		reason,
		provider: 'twilio',
		form: 'twilio'
	};
	value.reasonGroup = reasonGroupOf({ ...value, defaultGroup: mapped.group });
	return { ok: true, value };
}

/** A request body: one report (index 0), or one refusal kept with its fields. */
export function parseTwilioBody(
	text: string,
	contentType: string,
	receivedAt: Date
): Parsed<SmsReportRecord> {
	const raw: TwilioRaw = {
		fields: readTwilioFields(text, contentType),
		receivedAt: receivedAt.toISOString()
	};
	return reparseTwilio(raw);
}

/** A quarantined callback, read again as it was first read. */
export function reparseTwilio(raw: unknown): Parsed<SmsReportRecord> {
	const held = raw as Partial<TwilioRaw> | null;
	if (!held || typeof held !== 'object' || !held.fields || typeof held.receivedAt !== 'string')
		return { items: [], rejected: [{ index: 0, error: 'not a kept Twilio callback', raw }] };
	const read = readTwilioReport(held as TwilioRaw);
	return read.ok
		? { items: [{ index: 0, value: read.value, raw }], rejected: [] }
		: { items: [], rejected: [{ index: 0, error: read.error, raw }] };
}

/**
 * Twilio's request signature: HMAC-SHA1, keyed with the auth token, over the full URL the
 * callback was sent to followed by each form field's name and value, sorted by name;
 * base64. https://www.twilio.com/docs/usage/security#validating-requests
 */
export function twilioSignature(
	authToken: string,
	url: string,
	fields: Record<string, string> | [string, string][]
): string {
	const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
	const sorted = [...pairs].sort(([a, av], [b, bv]) =>
		a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0
	);
	let data = url;
	for (const [name, value] of sorted) data += name + value;
	return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * The URLs a callback may have been signed with: as given, and with the default port
 * written out or left off (Twilio's own libraries accept both).
 */
export function signedUrlVariants(url: string): string[] {
	const m = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
	if (!m) return [url];
	const [, scheme, authority, rest] = m;
	const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
	const withPort = /:(\d+)$/.exec(authority);
	if (withPort) {
		return withPort[1] === defaultPort
			? [url, `${scheme}://${authority.slice(0, -withPort[0].length)}${rest}`]
			: [url];
	}
	return [url, `${scheme}://${authority}:${defaultPort}${rest}`];
}

/** Whether `signature` is Twilio's for this URL and these fields (constant-time compare). */
export function verifyTwilioSignature(
	authToken: string,
	url: string,
	fields: [string, string][],
	signature: string | undefined
): boolean {
	if (!signature) return false;
	const given = Buffer.from(signature.trim());
	return signedUrlVariants(url).some((variant) => {
		const expected = Buffer.from(twilioSignature(authToken, variant, fields));
		return expected.length === given.length && timingSafeEqual(expected, given);
	});
}

/** Form fields as sent, repeats kept, for the signature (a JSON body has none). */
export function formPairs(text: string): [string, string][] {
	return [...new URLSearchParams(text)];
}
