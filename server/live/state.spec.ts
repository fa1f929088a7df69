import { describe, expect, it } from 'vitest';
import type { DoseRecord } from '../../src/lib/shared/feeds';
import { liveLoad, loadedLive, now, TZ } from '../../tests/support/live-load';
import { LiveState, type LiveLoad } from './state';

function load(): LiveLoad {
	return liveLoad({
		sessions: ['P1', 'P2', 'N1'].map((siteCode) => ({
			siteCode,
			date: '2021-01-16',
			capacity: 100,
			startsAt: new Date('2021-01-16T03:30:00Z'), // 09:00 IST
			endsAt: new Date('2021-01-16T11:30:00Z') // 17:00 IST
		})),
		rollups: [{ siteCode: 'P1', minuteMs: Date.parse('2021-01-16T05:20:00Z'), doses: 3 }],
		lastDoses: new Map([['P1', Date.parse('2021-01-16T05:20:30Z')]]),
		sms: [{ siteCode: 'N1', sent: 10, failed: 4 }]
	});
}

const dose = (id: string, siteCode: string, at: Date): DoseRecord => ({
	id,
	siteCode,
	occurredAt: at,
	vaccine: 'COVISHIELD',
	dose: 1,
	beneficiaryRef: id,
	vaccinatorRef: null,
	sessionId: null,
	source: 'live',
	status: 'completed'
});

describe('LiveState', () => {
	it('rebuilds counters and statuses from what the database holds', () => {
		const live = loadedLive(load());
		expect(live.day).toBe('2021-01-16');
		expect(live.districtView('521')).toMatchObject({
			dosesToday: 3,
			dosesLastHour: 3,
			sitesActive: 1,
			sitesStalled: 1,
			capacityPerHour: 25,
			plannedToday: 200
		});
		expect(live.districtView('505')).toMatchObject({ smsSent: 10, smsFailed: 4, sitesStalled: 1 });
		expect(live.totals(null)).toEqual({
			dosesToday: 3,
			sitesActive: 1,
			sitesStalled: 2,
			sitesManual: 0,
			smsFailedToday: 4
		});
		expect(live.totals(new Set(['505'])).dosesToday).toBe(0);
	});

	it('counts doses into today and the right minute, and ignores other days', () => {
		const live = loadedLive(load());
		live.takeChanges();
		live.applyDoses([
			dose('a', 'P2', new Date('2021-01-16T05:29:00Z')),
			dose('b', 'P2', new Date('2021-01-15T10:00:00Z')), // yesterday
			dose('c', 'N1', new Date('2021-01-16T01:00:00Z')) // 06:30 IST today, before the last hour
		]);
		live.refresh(now);
		expect(live.districtView('521')).toMatchObject({
			dosesToday: 4,
			dosesLastHour: 4,
			sitesActive: 2
		});
		expect(live.districtView('505')).toMatchObject({ dosesToday: 1, dosesLastHour: 0 });
		const changes = live.takeChanges();
		expect([...changes.sites].sort()).toEqual(['N1', 'P2']);
		expect([...changes.districts].sort()).toEqual(['505', '521']);
	});

	it('starts a new day when the state day changes', () => {
		const live = loadedLive(load());
		expect(live.isStale(new Date('2021-01-16T18:29:59Z'))).toBe(false);
		expect(live.isStale(new Date('2021-01-16T18:30:00Z'))).toBe(true); // midnight IST
	});

	it('shows a manual site as manual and counts it once', () => {
		const live = loadedLive(load());
		live.setSiteMode('P2', 'manual', now);
		expect(live.siteView('P2')!.status).toBe('manual');
		expect(live.districtView('521')).toMatchObject({
			sitesManual: 1,
			sitesStalled: 0,
			sitesActive: 1
		});
	});

	it("keeps the day's target (every session planned today) apart from the capacity open now", () => {
		const live = loadedLive(load());
		live.setSiteMode('P2', 'manual', now);
		live.upsertSession({
			sessionId: 'P1-evening',
			siteCode: 'P1',
			date: '2021-01-16',
			capacity: 60,
			startsAt: new Date('2021-01-16T12:30:00Z'), // 18:00 IST, not open yet
			endsAt: new Date('2021-01-16T14:30:00Z')
		});
		live.takeChanges();
		live.refresh(now);
		// A site on paper still has its plan; only sessions open now count as capacity.
		expect(live.districtView('521')).toMatchObject({ plannedToday: 260, capacityPerHour: 13 });
		expect(live.takeChanges().districts.has('521')).toBe(true);
	});
});

describe('LiveState between refreshes', () => {
	it('shows a dose in "last hour" and revives a stalled site at once, before the next refresh', () => {
		const realNow = new Date();
		const live = new LiveState({
			timeZone: TZ,
			thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
			simulated: false
		});
		const day = live.dayBounds(realNow).day;
		const data = load();
		data.rollups = [];
		data.lastDoses = new Map();
		data.sessions = data.sessions.map((s) => ({
			...s,
			date: day,
			startsAt: new Date(realNow.getTime() - 3 * 3_600_000),
			endsAt: new Date(realNow.getTime() + 3 * 3_600_000)
		}));
		live.load(data, realNow);
		expect(live.siteView('P1')!.status).toBe('stalled');
		live.applyDoses([dose('now-1', 'P1', new Date(realNow.getTime() - 1000))]);
		expect(live.siteView('P1')!.status).toBe('active');
		expect(live.districtView('521')!.dosesLastHour).toBe(1);
	});
});
