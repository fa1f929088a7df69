import { describe, expect, it } from 'vitest';
import type { ComplaintEventView } from '$lib/shared/complaint';
import { describeEvent } from './history';

const event = (over: Partial<ComplaintEventView>): ComplaintEventView => ({
	id: 1,
	at: '2021-01-16T04:30:00.000Z',
	actor: 'asha',
	kind: 'note',
	fromStatus: null,
	toStatus: null,
	note: null,
	detail: null,
	...over
});

describe('history in words', () => {
	it('says how a complaint was filed and when its answer is due, in the state time zone', () => {
		const e = event({
			kind: 'created',
			detail: {
				channel: 'phone',
				category: 'aefi',
				priority: 'urgent',
				slaDueAt: '2021-01-16T04:45:00.000Z'
			}
		});
		expect(describeEvent(e, 'Asia/Kolkata')).toBe(
			'Filed by Phone: Adverse event after vaccination, Urgent priority; answer due by 10:15'
		);
	});

	it('names moves, assignments, incidents and hand-offs', () => {
		const tz = 'Asia/Kolkata';
		expect(
			describeEvent(event({ kind: 'status', fromStatus: 'new', toStatus: 'resolved' }), tz)
		).toBe('New → Resolved');
		expect(describeEvent(event({ kind: 'assigned', detail: { from: null, to: 'ravi' } }), tz)).toBe(
			'Assigned to ravi'
		);
		expect(describeEvent(event({ kind: 'assigned', detail: { from: 'ravi', to: null } }), tz)).toBe(
			'Taken off ravi'
		);
		expect(describeEvent(event({ kind: 'linked', detail: { title: 'OTP outage' } }), tz)).toBe(
			'Linked to the incident “OTP outage”'
		);
		expect(
			describeEvent(event({ kind: 'action', detail: { action: 'resend_sms', joined: true } }), tz)
		).toBe('Joined the request already with the officers: resend the SMS for the site');
	});
});
