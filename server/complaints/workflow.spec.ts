import { describe, expect, it } from 'vitest';
import type { ComplaintStatus } from '../../src/lib/shared/complaint';
import { decideUpdate, type ComplaintPatch, type ComplaintState } from './workflow';

const sla = { urgent: 15, high: 60, normal: 240, low: 1440 };
const now = new Date('2021-01-16T06:00:00Z');
const openedAt = new Date('2021-01-16T05:00:00Z');

function state(status: ComplaintStatus, over: Partial<ComplaintState> = {}): ComplaintState {
	return {
		status,
		assignee: status === 'assigned' || status === 'resolved' ? 'asha' : null,
		priority: 'normal',
		category: 'otp_not_received',
		siteCode: 'P1',
		districtCode: '521',
		openedAt,
		...over
	};
}

const decide = (s: ComplaintState, patch: ComplaintPatch) => decideUpdate(s, patch, sla, now);

function refused(s: ComplaintState, patch: ComplaintPatch) {
	const d = decide(s, patch);
	if (d.ok) throw new Error(`expected a refusal, got ${JSON.stringify(d.changes)}`);
	return d;
}

function allowed(s: ComplaintState, patch: ComplaintPatch) {
	const d = decide(s, patch);
	if (!d.ok) throw new Error(`expected it to be allowed, got: ${d.error}`);
	return d;
}

describe('complaint transitions: allowed', () => {
	it('new → triaged leaves one history line', () => {
		const d = allowed(state('new'), { status: 'triaged' });
		expect(d.changes).toEqual({ status: 'triaged' });
		expect(d.events).toEqual([
			{ kind: 'status', fromStatus: 'new', toStatus: 'triaged', note: null }
		]);
	});

	it('assigning a new complaint moves it to assigned', () => {
		const d = allowed(state('new'), { assignee: 'ravi' });
		expect(d.changes).toEqual({ status: 'assigned', assignee: 'ravi' });
		expect(d.events.map((e) => e.kind)).toEqual(['status', 'assigned']);
	});

	it('reassigning an assigned complaint keeps its status', () => {
		const d = allowed(state('assigned'), { assignee: 'ravi' });
		expect(d.changes).toEqual({ assignee: 'ravi' });
	});

	it('taking it off someone puts it back to triaged', () => {
		const d = allowed(state('assigned'), { assignee: null });
		expect(d.changes).toEqual({ status: 'triaged', assignee: null });
	});

	it('resolving with a note records when, and the note goes with the move', () => {
		const d = allowed(state('new'), { status: 'resolved', note: 'Site on paper; go at 10:00' });
		expect(d.changes).toEqual({ status: 'resolved', resolvedAt: now });
		expect(d.events).toEqual([
			{
				kind: 'status',
				fromStatus: 'new',
				toStatus: 'resolved',
				note: 'Site on paper; go at 10:00'
			}
		]);
	});

	it('resolved → closed records when', () => {
		expect(allowed(state('resolved'), { status: 'closed' }).changes).toEqual({
			status: 'closed',
			closedAt: now
		});
	});

	it('reopening with a note clears the resolution', () => {
		const d = allowed(state('resolved'), { status: 'triaged', note: 'Caller rang again' });
		expect(d.changes).toEqual({ status: 'triaged', assignee: null, resolvedAt: null });
	});

	it('a new priority moves the SLA due time from when the complaint was made', () => {
		const d = allowed(state('triaged'), { priority: 'urgent' });
		expect(d.changes.slaDueAt).toEqual(new Date('2021-01-16T05:15:00Z'));
	});

	it('recategorising as an adverse event makes it urgent', () => {
		const d = allowed(state('new'), { category: 'aefi' });
		expect(d.changes).toMatchObject({ category: 'aefi', priority: 'urgent' });
	});

	it('a note alone is a history line, even on a closed complaint', () => {
		const d = allowed(state('closed'), { note: 'Caller thanked us' });
		expect(d.changes).toEqual({});
		expect(d.events).toEqual([{ kind: 'note', note: 'Caller thanked us' }]);
	});

	it('a new site brings its district', () => {
		const d = allowed(state('new'), { site: { code: 'N1', districtCode: '505' } });
		expect(d.changes).toEqual({ siteCode: 'N1', districtCode: '505' });
	});
});

describe('complaint transitions: refused', () => {
	const cases: [ComplaintStatus, ComplaintStatus][] = [
		['new', 'closed'],
		['triaged', 'new'],
		['triaged', 'closed'],
		['assigned', 'new'],
		['assigned', 'closed'],
		['resolved', 'new'],
		['closed', 'new'],
		['closed', 'triaged'],
		['closed', 'assigned'],
		['closed', 'resolved']
	];
	for (const [from, to] of cases) {
		it(`${from} → ${to}`, () => {
			const d = refused(state(from), { status: to, assignee: 'ravi', note: 'because' });
			expect(d.status).toBe(422);
			expect(d.error).toContain(`a ${from} complaint cannot move to ${to}`);
		});
	}

	it('a change made on an out-of-date screen (409)', () => {
		const d = refused(state('resolved'), { from: 'new', status: 'triaged', note: 'x' });
		expect(d.status).toBe(409);
		expect(d.error).toContain('is resolved now, not new');
	});

	it('assigned without anyone to assign it to', () => {
		expect(refused(state('new'), { status: 'assigned' }).error).toContain('needs a person');
	});

	it('resolving without saying what was done', () => {
		expect(refused(state('assigned'), { status: 'resolved' }).error).toContain('needs a note');
		expect(refused(state('assigned'), { status: 'resolved', note: '   ' }).error).toContain(
			'needs a note'
		);
	});

	it('reopening without saying why', () => {
		expect(refused(state('resolved'), { status: 'assigned' }).error).toContain(
			'reopening needs a note'
		);
	});

	it('reassigning a resolved complaint without reopening it', () => {
		expect(refused(state('resolved'), { assignee: 'ravi' }).error).toContain('reopen it first');
	});

	it('changing a closed complaint', () => {
		expect(refused(state('closed'), { priority: 'high' }).error).toContain('cannot be changed');
	});

	it('an adverse event made less than urgent', () => {
		const d = refused(state('new', { category: 'aefi', priority: 'urgent' }), { priority: 'high' });
		expect(d.error).toContain('always urgent');
	});

	it('nothing to change', () => {
		expect(refused(state('new'), {}).error).toBe('nothing to change');
		expect(refused(state('triaged'), { status: 'triaged' }).error).toBe('nothing to change');
	});
});
