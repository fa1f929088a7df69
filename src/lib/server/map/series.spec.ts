import { describe, expect, it } from 'vitest';
import { planPerBucket, sessionWindows, smsOutcome, statusHistory, timelineEvents } from './series';

const TZ = 'Asia/Kolkata';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const dayStart = Date.parse('2021-01-15T18:30:00Z'); // 16 Jan 2021, 00:00 IST
const at = (hhmm: string) => Date.parse(`2021-01-16T${hhmm}:00+05:30`);
const thresholds = { stallMinutes: 15, startupGraceMinutes: 30 };

describe('planPerBucket', () => {
	it('spreads each session over the hours it is open, with part-hours shared', () => {
		const windows = [
			{ startsMs: at('09:00'), endsMs: at('17:00'), capacity: 80 },
			{ startsMs: at('09:30'), endsMs: at('10:30'), capacity: 30 }
		];
		const plan = planPerBucket(windows, { fromMs: dayStart, bucketMs: HOUR, buckets: 24 });
		expect(plan[8]).toBe(0);
		expect(plan[9]).toBe(25); // 10 + half of 30
		expect(plan[10]).toBe(25);
		expect(plan[11]).toBe(10);
		expect(plan[17]).toBe(0);
		expect(plan.reduce((a, b) => a + b, 0)).toBeCloseTo(110);
	});

	it('takes 09:00–17:00 local time for a session planned without hours', () => {
		const windows = sessionWindows(
			[{ siteCode: 'S', capacity: 40, startsAt: null, endsAt: null }],
			'2021-01-16',
			TZ
		);
		expect(windows).toEqual([{ startsMs: at('09:00'), endsMs: at('17:00'), capacity: 40 }]);
	});
});

describe('statusHistory', () => {
	const session = [{ startsMs: at('09:00'), endsMs: at('17:00'), capacity: 100 }];
	const base = {
		windows: session,
		doses: [] as number[],
		heartbeats: [] as number[],
		heartbeatBefore: null,
		switches: [] as { atMs: number; to: 'online' | 'manual' }[],
		modeNow: 'online' as const
	};

	it('goes closed, idle, stalled, active and closed again, by the live rule', () => {
		const spans = statusHistory(
			{ ...base, doses: [at('10:00'), at('10:05')] },
			{ fromMs: dayStart, toMs: at('18:00'), thresholds }
		);
		expect(spans.map((s) => [s.from.slice(11, 16), s.status])).toEqual([
			['18:30', 'closed'], // 00:00 IST
			['03:30', 'idle'], // 09:00 IST
			['04:00', 'stalled'], // 09:30: 30 minutes without a first dose
			['04:30', 'active'], // 10:00
			['04:50', 'stalled'], // just after 10:20: more than 15 minutes after 10:05
			['11:30', 'closed'] // 17:00
		]);
		expect(spans[2].cause).toMatch(/no dose since the session opened/);
		expect(spans[4].from).toBe(new Date(at('10:20') + 1).toISOString());
		expect(spans.at(-1)!.to).toBe(new Date(at('18:00')).toISOString());
	});

	it('shows a switch to manual and back where it happened', () => {
		const spans = statusHistory(
			{
				...base,
				doses: [at('09:10')],
				switches: [
					{ atMs: at('09:20'), to: 'manual' },
					{ atMs: at('11:00'), to: 'online' }
				]
			},
			{ fromMs: at('09:00'), toMs: at('11:30'), thresholds }
		);
		expect(spans.map((s) => s.status)).toEqual(['idle', 'active', 'manual', 'stalled']);
		expect(spans[2].from).toBe(new Date(at('09:20')).toISOString());
		expect(spans[2].to).toBe(new Date(at('11:00')).toISOString());
	});

	it('starts from the mode before the first switch of the day', () => {
		const spans = statusHistory(
			{ ...base, modeNow: 'manual', switches: [] },
			{ fromMs: at('10:00'), toMs: at('10:00') + 5 * MINUTE, thresholds }
		);
		expect(spans).toEqual([expect.objectContaining({ status: 'manual' })]);
		const back = statusHistory(
			{
				...base,
				doses: [at('09:50')],
				modeNow: 'online',
				switches: [{ atMs: at('10:02'), to: 'online' }]
			},
			{ fromMs: at('10:00'), toMs: at('10:05'), thresholds }
		);
		expect(back.map((s) => s.status)).toEqual(['manual', 'active']);
	});
});

describe('smsOutcome', () => {
	it('counts delivered, pending and failed, failures by reason group', () => {
		expect(
			smsOutcome([
				{ status: 'delivered', reasonGroup: null, messages: 7 },
				{ status: 'sent', reasonGroup: null, messages: 2 },
				{ status: 'queued', reasonGroup: null, messages: 1 },
				{ status: 'failed', reasonGroup: 'dnd_blocked', messages: 3 },
				{ status: 'expired', reasonGroup: 'operator_timeout', messages: 1 },
				{ status: 'undelivered', reasonGroup: null, messages: 1 }
			])
		).toEqual({
			sent: 15,
			delivered: 7,
			pending: 3,
			failed: 5,
			failedBy: { dnd_blocked: 3, operator_timeout: 1, unknown: 1 }
		});
	});
});

describe('timelineEvents', () => {
	it('names who or what caused each event, oldest first', () => {
		const events = timelineEvents(
			[
				{
					at: new Date(at('11:00')),
					actor: 'state.officer',
					siteCode: 'S1',
					siteName: 'PHC Aundh',
					to: 'manual',
					reason: 'national server down'
				}
			],
			[
				{
					id: 'a',
					kind: 'health_incident',
					openedAt: new Date(at('10:40')),
					closedAt: new Date(at('11:30')),
					siteCode: null,
					siteName: null,
					summary: 'National server slow: p95 6 s',
					target: 'national-server'
				},
				{
					id: 'b',
					kind: 'site_stalled',
					openedAt: new Date(at('10:55')),
					closedAt: null,
					siteCode: 'S1',
					siteName: 'PHC Aundh',
					summary: 'No dose for 20 min',
					target: null
				}
			]
		);
		expect(events.map((e) => [e.kind, e.title, e.by])).toEqual([
			['health', 'national-server incident', 'national-server (health monitor)'],
			['alert', 'Site stalled', 'stall detector'],
			['manual', 'Switched to manual', 'state.officer']
		]);
		expect(events[2].detail).toBe('national server down');
		expect(events[0].endedAt).toBe(new Date(at('11:30')).toISOString());
	});
});
