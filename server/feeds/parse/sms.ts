import { z } from 'zod';
import type { SmsMessageRecord, SmsReportRecord } from '../../../src/lib/shared/feeds';
import {
	MAX_ID,
	MAX_TEXT,
	expected,
	item,
	oneOf,
	optionalCalendarDate,
	optionalText,
	parseInstant,
	text,
	timestamp
} from './fields';
import { check, eachItem, ok, parseArray, requireArray } from './items';
import type { ParseOptions, Parsed } from './types';

const smsMessage: z.ZodType<SmsMessageRecord> = item({
	messageId: text(),
	beneficiaryRef: text(),
	siteCode: text(),
	kind: oneOf(['appointment', 'otp', 'reminder', 'other']),
	sentAt: timestamp,
	// Kept as the gateway gave it: call lists show the number the SMS went to.
	phone: optionalText(40),
	sessionDate: optionalCalendarDate,
	provider: optionalText()
});

// Gateways send error codes as numbers (Twilio 30003) or strings (SMPP "000").
const errorCode = z
	.union([z.string(), z.number()], { error: expected('a string or number') })
	.nullish()
	.transform((v) => (v === null || v === undefined ? null : String(v).trim() || null))
	.refine((v) => v === null || v.length <= 200, 'must be at most 200 characters');

export const smsReport: z.ZodType<SmsReportRecord> = item({
	messageId: text(),
	status: oneOf(['queued', 'sent', 'delivered', 'failed', 'undelivered', 'expired', 'rejected']),
	at: timestamp,
	errorCode,
	reason: optionalText(MAX_TEXT),
	provider: optionalText()
});

export function parseSmsMessages(body: unknown, _opts: ParseOptions): Parsed<SmsMessageRecord> {
	return parseArray(body, 'SmsMessage', smsMessage);
}

const reportStatuses = new Set<string>([
	'queued',
	'sent',
	'delivered',
	'failed',
	'undelivered',
	'expired',
	'rejected'
]);

/** optionalText() without zod: the value, null when absent or blank, false when invalid. */
function fastOptional(v: unknown, max = MAX_ID): string | null | false {
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string') return false;
	const t = v.trim();
	if (t.length > max) return false;
	return t || null;
}

/**
 * The schema's result for a well-formed report, without zod: gateways send reports by the
 * thousand a second and zod costs microseconds an item. Anything unusual returns null and
 * goes through the schema, which words the errors (sms.spec.ts checks the two agree).
 */
export function fastSmsReport(raw: unknown): SmsReportRecord | null {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
	const r = raw as Record<string, unknown>;
	const { messageId, status, at } = r;
	if (typeof messageId !== 'string' || typeof status !== 'string' || typeof at !== 'string')
		return null;
	const id = messageId.trim();
	if (id.length < 1 || id.length > MAX_ID || !reportStatuses.has(status)) return null;
	const when = parseInstant(at.trim());
	if (!when) return null;
	const code = r.errorCode;
	let errorCode: string | null;
	if (code === undefined || code === null) errorCode = null;
	else if (typeof code === 'string' || typeof code === 'number') {
		errorCode = String(code).trim() || null;
		if (errorCode !== null && errorCode.length > MAX_ID) return null;
	} else return null;
	const reason = fastOptional(r.reason, MAX_TEXT);
	const provider = fastOptional(r.provider);
	if (reason === false || provider === false) return null;
	return {
		messageId: id,
		status: status as SmsReportRecord['status'],
		at: when,
		errorCode,
		reason,
		provider
	};
}

export function parseSmsReports(body: unknown, _opts: ParseOptions): Parsed<SmsReportRecord> {
	return eachItem(requireArray(body, 'SmsReport'), (raw) => {
		const fast = fastSmsReport(raw);
		return fast ? ok(fast) : check(smsReport, raw);
	});
}
