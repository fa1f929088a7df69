/**
 * Who has not been told: for a site and date, the people with appointments whose SMS
 * failed, had no final report within SMS_NO_REPORT_MINUTES, or was never sent. Used by the
 * API (JSON and CSV) and the call-list page alike.
 */
import { stringify } from 'csv-stringify/sync';
import { addDays, zonedTime } from '../../shared/time';
import {
	callOutcomeLabels,
	callReasonLabels,
	type CallOutcome,
	type CallReason
} from '../../shared/sms';
import type { Principal } from '../auth/policy';
import type { Db } from '../db/client';
import { callListPeople, type CallListPerson } from '../db/queries/sms-ops';
import { nameFor, phoneFor } from '../privacy';

/** Where a person stands: told, still waiting for a report, or on the call list (why). */
export type PersonState = 'delivered' | 'waiting' | CallReason;

export interface CallListEntry {
	beneficiaryRef: string;
	name: string;
	phone: string;
	slot: string | null;
	reason: CallReason;
	/** The latest message (resend it), null when none was sent. */
	messageId: string | null;
	sentAt: string | null;
	errorCode: string | null;
	/** The gateway's words, when it gave any. */
	detail: string | null;
	/** Resends already made for this person. */
	resends: number;
	mark: { outcome: CallOutcome; by: string; at: string } | null;
}

/** A person's state from their appointment messages at `nowMs` (pure; the rule lives here). */
export function personState(
	messages: CallListPerson['messages'],
	nowMs: number,
	noReportMs: number
): PersonState {
	if (messages.length === 0) return 'not_sent';
	if (messages.some((m) => m.status === 'delivered')) return 'delivered';
	const pending = (m: CallListPerson['messages'][number]) =>
		m.status === 'queued' || m.status === 'sent';
	if (messages.some((m) => pending(m) && nowMs - m.sentAtMs < noReportMs)) return 'waiting';
	const latest = messages.reduce((a, b) => (b.sentAtMs >= a.sentAtMs ? b : a));
	if (pending(latest)) return 'no_report';
	return (latest.reasonGroup as CallReason | null) ?? 'unknown';
}

export interface CallListOptions {
	siteCode: string;
	date: string;
	now: Date;
	noReportMinutes: number;
	timeZone: string;
	/** Names and phones are masked for principals that may not see them. */
	viewer: Principal;
}

/**
 * The call list, marked people included (callers filter with `mark`). Messages without a
 * session date count for an appointment on the day they were sent or up to two days later.
 */
export async function buildCallList(db: Db, opts: CallListOptions): Promise<CallListEntry[]> {
	const people = await callListPeople(db, {
		siteCode: opts.siteCode,
		date: opts.date,
		sentFrom: zonedTime(addDays(opts.date, -2), '00:00', opts.timeZone),
		sentTo: zonedTime(addDays(opts.date, 1), '00:00', opts.timeZone)
	});
	const noReportMs = opts.noReportMinutes * 60_000;
	const out: CallListEntry[] = [];
	for (const p of people) {
		const state = personState(p.messages, opts.now.getTime(), noReportMs);
		if (state === 'delivered' || state === 'waiting') continue;
		const latest = p.messages.at(-1) ?? null;
		out.push({
			beneficiaryRef: p.beneficiaryRef,
			name: nameFor(opts.viewer, p.name),
			phone: phoneFor(opts.viewer, p.phone ?? latest?.phone ?? null),
			slot: p.slot,
			reason: state,
			messageId: latest?.messageId ?? null,
			sentAt: latest ? new Date(latest.sentAtMs).toISOString() : null,
			errorCode: latest?.errorCode ?? null,
			detail: latest?.reason ?? null,
			resends: p.messages.filter((m) => m.resendOf).length,
			mark: p.mark
				? { outcome: p.mark.outcome, by: p.mark.by, at: new Date(p.mark.atMs).toISOString() }
				: null
		});
	}
	return out;
}

export const callListColumns = [
	'beneficiary_ref',
	'name',
	'phone',
	'slot',
	'reason',
	'error_code',
	'last_sms_at',
	'call_outcome',
	'marked_by',
	'marked_at'
] as const;

/**
 * A cell a spreadsheet will not run as a formula (names come from outside): a leading =, @,
 * + or - gets a quote in front, except a plain phone number such as +91 98765 43210.
 */
export function safeCell(value: string): string {
	if (/^[=@\t\r]/.test(value)) return `'${value}`;
	if (/^[+-]/.test(value) && !/^[+-]?[\d\s().-]+$/.test(value)) return `'${value}`;
	return value;
}

/** The list as CSV (RFC 4180, a header row, CRLF); times ISO-8601. */
export function callListCsv(entries: CallListEntry[]): string {
	return stringify(
		entries.map((e) => [
			safeCell(e.beneficiaryRef),
			safeCell(e.name),
			safeCell(e.phone),
			safeCell(e.slot ?? ''),
			callReasonLabels[e.reason],
			e.errorCode ?? '',
			e.sentAt ?? '',
			e.mark ? callOutcomeLabels[e.mark.outcome] : '',
			e.mark?.by ?? '',
			e.mark?.at ?? ''
		]),
		{ header: true, columns: [...callListColumns], record_delimiter: 'windows' }
	);
}
