/**
 * The one mapping from what gateways say (JSON report statuses, Twilio MessageStatus and
 * ErrorCode, SMPP receipt stat and err) to an outcome and a failure reason group. The
 * same tables are in docs/sms.md; a test keeps the two in step.
 */
import type { SmsStatus } from '../../src/lib/shared/feeds';
import type { SmsOutcome, SmsReasonGroup } from '../../src/lib/shared/sms';

export interface CodeMeaning {
	group: SmsReasonGroup;
	meaning: string;
}

/** The outcome a stored status stands for: queued and sent still wait for a final report. */
export function outcomeOfStatus(status: SmsStatus): SmsOutcome {
	if (status === 'delivered') return 'delivered';
	if (status === 'queued' || status === 'sent') return 'pending';
	return 'failed';
}

/** Failure statuses without a telling code or reason fall in these groups. */
export const statusDefaultGroups: Record<SmsStatus, SmsReasonGroup | null> = {
	queued: null,
	sent: null,
	delivered: null,
	failed: 'unknown',
	undelivered: 'unknown',
	expired: 'expired',
	// An SMSC or operator refusing a message before delivery: in India most often DLT
	// scrubbing (unregistered header or template).
	rejected: 'dlt_rejected'
};

/** Twilio MessageStatus → stored status. Inbound statuses (receiving, received) are not reports. */
export const twilioStatuses: Record<string, { status: SmsStatus; group?: SmsReasonGroup }> = {
	accepted: { status: 'queued' },
	scheduled: { status: 'queued' },
	queued: { status: 'queued' },
	sending: { status: 'sent' },
	sent: { status: 'sent' },
	delivered: { status: 'delivered' },
	read: { status: 'delivered' },
	undelivered: { status: 'undelivered' },
	failed: { status: 'failed' },
	// A scheduled message cancelled before it went out: it never reached the person.
	canceled: { status: 'failed', group: 'gateway_error' }
};

/** Twilio ErrorCode → reason group (https://www.twilio.com/docs/api/errors). */
export const twilioErrorCodes: Record<string, CodeMeaning> = {
	'21211': { group: 'invalid_number', meaning: "Invalid 'To' phone number" },
	'21408': { group: 'gateway_error', meaning: 'Permission to send to this region is not enabled' },
	'21610': { group: 'dnd_blocked', meaning: 'Recipient has unsubscribed (replied STOP)' },
	'21614': { group: 'invalid_number', meaning: "'To' number is not a mobile number" },
	'30001': { group: 'gateway_error', meaning: 'Queue overflow' },
	'30002': { group: 'gateway_error', meaning: 'Account suspended' },
	'30003': {
		group: 'expired',
		meaning: 'Unreachable destination handset (switched off, no signal)'
	},
	'30004': { group: 'dnd_blocked', meaning: 'Message blocked by the recipient or the carrier' },
	'30005': {
		group: 'invalid_number',
		meaning: 'Unknown destination handset (number unknown or out of service)'
	},
	'30006': { group: 'invalid_number', meaning: 'Landline or unreachable carrier' },
	'30007': {
		group: 'dlt_rejected',
		meaning: 'Message filtered by the carrier (in India: DLT scrubbing of header or template)'
	},
	'30008': { group: 'unknown', meaning: 'Unknown error' },
	'30009': { group: 'gateway_error', meaning: 'Missing segment' },
	'30010': { group: 'gateway_error', meaning: 'Message price exceeds max price' },
	'30410': { group: 'expired', meaning: 'Provider timeout' },
	'63018': { group: 'gateway_error', meaning: 'Rate limit exceeded for the channel' }
};

/** SMPP 3.4 receipt `stat` → stored status and, for failures, the group when err says nothing. */
export const smppStats: Record<
	string,
	{ status: SmsStatus; group: SmsReasonGroup | null; meaning: string }
> = {
	DELIVRD: { status: 'delivered', group: null, meaning: 'Delivered to the handset' },
	// ACCEPTD is final in SMPP 3.4 ("read on behalf of the subscriber"), but it does not say
	// the person got the message: it waits like `sent` and becomes `no report` if nothing follows.
	ACCEPTD: { status: 'sent', group: null, meaning: 'Accepted by the operator for the subscriber' },
	ENROUTE: { status: 'sent', group: null, meaning: 'On its way' },
	EXPIRED: { status: 'expired', group: 'expired', meaning: 'Validity period ran out' },
	DELETED: { status: 'failed', group: 'gateway_error', meaning: 'Deleted by the SMSC' },
	UNDELIV: { status: 'undelivered', group: 'unknown', meaning: 'Undeliverable' },
	UNKNOWN: { status: 'failed', group: 'unknown', meaning: 'In an unknown state' },
	REJECTD: {
		status: 'rejected',
		group: 'dlt_rejected',
		meaning: 'Rejected by the SMSC (in India most often DLT scrubbing)'
	}
};

/**
 * SMPP receipt `err` values (3 digits). They are SMSC-specific; many SMSCs report the GSM MAP
 * error of the failed delivery, which these are. Other values leave the stat's group.
 */
export const smppErrorCodes: Record<string, CodeMeaning> = {
	'001': { group: 'invalid_number', meaning: 'Unknown subscriber' },
	'005': { group: 'invalid_number', meaning: 'Unidentified subscriber' },
	'006': { group: 'expired', meaning: 'Absent subscriber for SMS' },
	'009': { group: 'invalid_number', meaning: 'Illegal subscriber' },
	'011': { group: 'invalid_number', meaning: 'Teleservice not provisioned (cannot receive SMS)' },
	'012': { group: 'invalid_number', meaning: 'Illegal equipment' },
	'013': { group: 'dnd_blocked', meaning: 'Call barred' },
	'027': { group: 'expired', meaning: 'Absent subscriber' },
	'031': { group: 'expired', meaning: 'Subscriber busy for MT SMS' },
	'033': { group: 'expired', meaning: 'Message waiting list full' },
	'034': { group: 'gateway_error', meaning: 'System failure' }
};

/**
 * Words in a free-text reason (or a textual error code) that say which group a failure is
 * in, tried in this order (DLT first: "blocked by DLT scrubbing" is a template problem).
 * Indian aggregators report DND and DLT failures in words.
 */
export const reasonKeywords: [RegExp, SmsReasonGroup][] = [
	[
		/\b(dlt|template|header|sender ?id|principal entity|scrub\w*|content filter\w*)\b/i,
		'dlt_rejected'
	],
	[
		/\b(dnd|ndnc|ncpr|nccpr|do not disturb|opted[ -]?out|unsubscribed|black ?list(ed)?|block ?list(ed)?|blocked|barred)\b/i,
		'dnd_blocked'
	],
	[
		/\b(invalid|unknown|wrong|non[- ]?existent|unallocated|inactive)\b.{0,20}\b(number|msisdn|subscriber|destination|handset|mobile)\b|\bnot a mobile\b|\blandline\b/i,
		'invalid_number'
	],
	[
		/\b(expir\w*|time ?out|timed out|validity|absent subscriber|unreachable|switched off|not reachable)\b/i,
		'expired'
	],
	[
		/\b(gateway|smsc|throttl\w*|queue|rate limit\w*|insufficient (credit|balance)|system failure|internal error)\b/i,
		'gateway_error'
	]
];

/** A 3-digit SMPP err as the table keys it ("0" and "000" are no error: null). */
export function smppErrKey(err: string | null | undefined): string | null {
	const digits = (err ?? '').trim();
	if (!/^\d{1,3}$/.test(digits) || Number(digits) === 0) return null;
	return digits.padStart(3, '0');
}

/** Which table an error code belongs to, by its shape: Twilio's are 5 digits, SMPP's 1–3. */
function codeGroup(errorCode: string | null): SmsReasonGroup | null {
	if (!errorCode) return null;
	const code = errorCode.trim();
	if (/^\d{5}$/.test(code)) return twilioErrorCodes[code]?.group ?? null;
	const smpp = smppErrKey(code);
	if (smpp) return smppErrorCodes[smpp]?.group ?? null;
	return null;
}

function keywordGroup(text: string): SmsReasonGroup | null {
	if (!text.trim()) return null;
	for (const [pattern, group] of reasonKeywords) if (pattern.test(text)) return group;
	return null;
}

export interface ReportFacts {
	status: SmsStatus;
	errorCode: string | null;
	reason: string | null;
	/** The form's own default for this status (an SMPP stat's or Twilio status's group). */
	defaultGroup?: SmsReasonGroup | null;
}

/**
 * The reason group of a report, or null when it is not a failure. A known error code wins;
 * then the words of the reason (or of a textual code); then the form's default for the
 * status; then the status's own default.
 */
export function reasonGroupOf(report: ReportFacts): SmsReasonGroup | null {
	if (outcomeOfStatus(report.status) !== 'failed') return null;
	return (
		codeGroup(report.errorCode) ??
		keywordGroup(`${report.errorCode ?? ''} ${report.reason ?? ''}`) ??
		report.defaultGroup ??
		statusDefaultGroups[report.status] ??
		'unknown'
	);
}

/** The meaning of a known error code, for reasons shown to people. */
export function codeMeaning(errorCode: string | null): string | null {
	if (!errorCode) return null;
	const code = errorCode.trim();
	if (/^\d{5}$/.test(code)) return twilioErrorCodes[code]?.meaning ?? null;
	const smpp = smppErrKey(code);
	return smpp ? (smppErrorCodes[smpp]?.meaning ?? null) : null;
}
