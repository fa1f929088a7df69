import { describe, expect, it } from 'vitest';
import {
	canTransition,
	complaintStatuses,
	compareForQueue,
	effectivePriority,
	formatDuration,
	matchesFilter,
	normalisePhone,
	slaDueAt,
	slaReading,
	type ComplaintStatus,
	type ComplaintView
} from './complaint';

describe('the complaint workflow', () => {
	/** Written out independently of the table in complaint.ts: from → to. */
	const allowed: [ComplaintStatus, ComplaintStatus][] = [
		['new', 'triaged'],
		['new', 'assigned'],
		['new', 'resolved'],
		['triaged', 'assigned'],
		['triaged', 'resolved'],
		['assigned', 'triaged'],
		['assigned', 'resolved'],
		['resolved', 'closed'],
		['resolved', 'triaged'],
		['resolved', 'assigned']
	];
	const isAllowed = (from: ComplaintStatus, to: ComplaintStatus) =>
		allowed.some(([f, t]) => f === from && t === to);

	for (const from of complaintStatuses) {
		for (const to of complaintStatuses) {
			if (from === to) continue;
			const verdict = isAllowed(from, to) ? 'allowed' : 'refused';
			it(`${from} → ${to} is ${verdict}`, () => {
				expect(canTransition(from, to)).toBe(isAllowed(from, to));
			});
		}
	}

	it('never goes back to new, and closed is final', () => {
		for (const from of complaintStatuses) expect(canTransition(from, 'new')).toBe(false);
		for (const to of complaintStatuses) expect(canTransition('closed', to)).toBe(false);
	});

	it('an adverse event is urgent whatever was asked', () => {
		expect(effectivePriority('aefi', 'low')).toBe('urgent');
		expect(effectivePriority('aefi', null)).toBe('urgent');
		expect(effectivePriority('long_queue', 'low')).toBe('low');
		expect(effectivePriority('long_queue', undefined)).toBe('normal');
	});
});

describe('the SLA', () => {
	const minutes = { urgent: 15, high: 60, normal: 240, low: 1440 };
	const at = new Date('2021-01-16T10:00:00+05:30');
	const due = (p: keyof typeof minutes) => slaDueAt(at, p, minutes).toISOString();

	it('is due the configured minutes after the complaint was made', () => {
		expect(due('urgent')).toBe('2021-01-16T04:45:00.000Z');
		expect(due('low')).toBe('2021-01-17T04:30:00.000Z');
	});

	const open = (status: ComplaintStatus = 'new', resolvedAt: string | null = null) => ({
		status,
		at: at.toISOString(),
		slaDueAt: due('normal'),
		resolvedAt
	});
	const ms = (iso: string) => Date.parse(iso);

	it('is ok, then due soon in its last fifth, then breached once past due', () => {
		expect(slaReading(open(), ms('2021-01-16T10:30:00+05:30')).state).toBe('ok');
		// 240 min: the last fifth starts 48 min before 14:00.
		expect(slaReading(open(), ms('2021-01-16T13:11:59+05:30')).state).toBe('ok');
		expect(slaReading(open(), ms('2021-01-16T13:12:00+05:30')).state).toBe('due_soon');
		expect(slaReading(open(), ms('2021-01-16T14:00:00+05:30')).state).toBe('due_soon');
		const late = slaReading(open('assigned'), ms('2021-01-16T14:00:01+05:30'));
		expect(late.state).toBe('breached');
		expect(late.remainingMs).toBe(-1000);
	});

	it('is met or missed once resolved, and the clock stops', () => {
		const inTime = open('resolved', '2021-01-16T13:59:00+05:30');
		expect(slaReading(inTime, ms('2021-01-17T10:00:00+05:30')).state).toBe('met');
		const late = open('closed', '2021-01-16T14:30:00+05:30');
		expect(slaReading(late, ms('2021-01-17T10:00:00+05:30')).state).toBe('missed');
	});

	it('reads durations as a screen shows them', () => {
		expect(formatDuration(59_000)).toBe('0 min');
		expect(formatDuration(-12 * 60_000)).toBe('12 min');
		expect(formatDuration(125 * 60_000)).toBe('2 h 05 min');
		expect(formatDuration(27 * 3_600_000)).toBe('1 d 3 h');
	});
});

describe('caller phone numbers', () => {
	it('reads an Indian number however it was typed', () => {
		for (const typed of [
			'9876543210',
			'+91 98765 43210',
			'098765-43210',
			'91 9876543210',
			'0091 98765 43210'
		])
			expect(normalisePhone(typed), typed).toBe('+919876543210');
	});

	it('keeps a foreign number with its country code and refuses what is not a number', () => {
		expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
		for (const bad of ['12345', 'call me', '98765432101234', '+1 23', ''])
			expect(normalisePhone(bad), bad).toBeNull();
	});
});

function complaint(over: Partial<ComplaintView>): ComplaintView {
	return {
		id: 'C-1',
		at: '2021-01-16T04:30:00.000Z',
		receivedAt: '2021-01-16T04:30:00.000Z',
		channel: 'phone',
		category: 'otp_not_received',
		siteCode: 'P1',
		siteName: 'Aundh Hospital',
		districtCode: '521',
		callerPhone: '+919876543210',
		notes: 'OTP never came',
		priority: 'normal',
		status: 'new',
		assignee: null,
		slaDueAt: '2021-01-16T08:30:00.000Z',
		slaBreached: false,
		incidentId: null,
		incidentTitle: null,
		resolvedAt: null,
		closedAt: null,
		updatedAt: '2021-01-16T04:30:00.000Z',
		createdBy: 'helpdesk',
		action: null,
		...over
	};
}

describe('queue filters', () => {
	it('match as the API filters', () => {
		const c = complaint({});
		expect(matchesFilter(c, {})).toBe(true);
		expect(matchesFilter(c, { status: 'open' })).toBe(true);
		expect(matchesFilter(complaint({ status: 'resolved' }), { status: 'open' })).toBe(false);
		expect(matchesFilter(c, { status: 'triaged' })).toBe(false);
		expect(matchesFilter(c, { districtCode: '505' })).toBe(false);
		expect(matchesFilter(c, { q: 'aundh' })).toBe(true);
		expect(matchesFilter(c, { q: '98765 43' })).toBe(true);
		expect(matchesFilter(c, { q: 'never' })).toBe(true);
		expect(matchesFilter(c, { q: 'nagpur' })).toBe(false);
	});

	it('order open complaints by SLA due time, before the others', () => {
		const list = [
			complaint({ id: 'done', status: 'resolved', slaDueAt: '2021-01-16T01:00:00.000Z' }),
			complaint({ id: 'later', slaDueAt: '2021-01-16T09:00:00.000Z' }),
			complaint({ id: 'sooner', slaDueAt: '2021-01-16T05:00:00.000Z' })
		];
		expect(list.sort(compareForQueue).map((c) => c.id)).toEqual(['sooner', 'later', 'done']);
	});
});
