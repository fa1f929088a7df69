/**
 * SMS delivery words shared by the server and the browser: outcomes, failure reason groups
 * and call-list marks. How gateway statuses and error codes map onto them is
 * server/sms/outcome.ts (and docs/sms.md).
 */

/** Where a message stands: waiting for its final report, delivered, or failed. */
export const smsOutcomes = ['pending', 'delivered', 'failed'] as const;
export type SmsOutcome = (typeof smsOutcomes)[number];

/** Why a message failed, in the groups an officer can act on. */
export const smsReasonGroups = [
	'invalid_number',
	'dnd_blocked',
	'dlt_rejected',
	'expired',
	'gateway_error',
	'unknown'
] as const;
export type SmsReasonGroup = (typeof smsReasonGroups)[number];

export const smsReasonLabels: Record<SmsReasonGroup, string> = {
	invalid_number: 'Invalid number',
	dnd_blocked: 'DND / blocked',
	dlt_rejected: 'DLT template or header rejected',
	expired: 'Expired / operator timeout',
	gateway_error: 'Gateway error',
	unknown: 'Unknown failure'
};

/**
 * Why a person is on a call list: their appointment SMS failed (a reason group), had no
 * final report within SMS_NO_REPORT_MINUTES, or was never sent at all.
 */
export type CallReason = SmsReasonGroup | 'no_report' | 'not_sent';

export const callReasonLabels: Record<CallReason, string> = {
	...smsReasonLabels,
	no_report: 'No report',
	not_sent: 'No SMS sent'
};

export function isSmsReasonGroup(value: unknown): value is SmsReasonGroup {
	return typeof value === 'string' && (smsReasonGroups as readonly string[]).includes(value);
}

/** What staff found when they phoned someone on a call list. */
export const callOutcomes = ['reached', 'not_reachable'] as const;
export type CallOutcome = (typeof callOutcomes)[number];

export const callOutcomeLabels: Record<CallOutcome, string> = {
	reached: 'Reached by phone',
	not_reachable: 'Not reachable'
};

/**
 * A call-list mark as the live feed carries it: `outcome` null means the mark was cleared
 * (the person is back on the list). Screens keep the latest `at` per person.
 */
export interface CallMarkLive {
	siteCode: string;
	/** The appointment date, YYYY-MM-DD. */
	date: string;
	beneficiaryRef: string;
	outcome: CallOutcome | null;
	/** ISO-8601. */
	at: string;
	by: string;
}
