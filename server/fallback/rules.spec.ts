import { describe, expect, it } from 'vitest';
import { LiveState, type LiveLoad } from '../live/state';
import { readSites } from './detector';
import {
	estimatePaperDoses,
	paperDosesExpected,
	planStallAlerts,
	type OpenIncident,
	type SiteNow,
	type StallInput
} from './rules';

const TZ = 'Asia/Kolkata';
const MINUTE = 60_000;
const opened = new Date('2021-01-16T03:30:00Z'); // 09:00 IST
const at = (minutes: number) => new Date(opened.getTime() + minutes * MINUTE);
const rule = { groupMinSites: 3, groupShare: 0.5 };

/** One Pune site with a session open from 09:00, its last dose at `lastDose` minutes. */
function liveWith(lastDose: number | null, heartbeat: number | null = lastDose): LiveState {
	const live = new LiveState({
		timeZone: TZ,
		thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
		simulated: false
	});
	const load: LiveLoad = {
		districts: [{ code: '521', name: 'Pune' }],
		sites: [
			{
				code: 'P1',
				name: 'Aundh UPHC',
				districtCode: '521',
				lat: null,
				lon: null,
				mode: 'online',
				lastHeartbeatAt: heartbeat === null ? null : at(heartbeat)
			}
		],
		sessions: [
			{ siteCode: 'P1', date: '2021-01-16', capacity: 100, startsAt: at(0), endsAt: at(480) }
		],
		rollups: [],
		lastDoses: new Map(lastDose === null ? [] : [['P1', at(lastDose).getTime()]]),
		sms: [],
		health: [],
		alerts: []
	};
	live.load(load, at(0));
	return live;
}

/** What the stall rule decides for the live picture at `minutes`. */
function planAt(live: LiveState, minutes: number, siteAlerts: StallInput['siteAlerts'] = []) {
	live.refresh(at(minutes));
	return planStallAlerts(
		{ sites: readSites(live), districtNames: {}, siteAlerts, groups: [], incidents: [] },
		rule
	);
}

describe('stall alerts at their thresholds', () => {
	it('opens no alert up to and at the stall window after a dose, and one just past it', () => {
		const live = liveWith(40, 54);
		expect(planAt(live, 54.99).open).toEqual([]);
		expect(planAt(live, 55).open).toEqual([]);
		const past = planAt(live, 55.01);
		expect(past.open).toEqual([
			{
				siteCode: 'P1',
				districtCode: '521',
				summary: 'Aundh UPHC (P1) stalled: no dose for 15 min; device alive',
				parentKey: null
			}
		]);
	});

	it('opens one when no first dose came within the start-up grace period (inclusive of its end)', () => {
		const live = liveWith(null, null);
		expect(planAt(live, 29.99).open).toEqual([]);
		const atGrace = planAt(live, 30).open;
		expect(atGrace.map((o) => o.summary)).toEqual([
			'Aundh UPHC (P1) stalled: no dose since the session opened; device never reported'
		]);
		expect(planAt(live, 30.01).open).toHaveLength(1);
	});

	it('names a silent device in the cause', () => {
		const live = liveWith(40, 10);
		expect(planAt(live, 60).open[0].summary).toBe(
			'Aundh UPHC (P1) stalled: no dose for 20 min; device silent for 50 min'
		);
	});

	it('resolves the alert when doses resume, and does not open a second one while it is open', () => {
		const live = liveWith(40);
		const held = [{ id: 'a1', siteCode: 'P1', parentId: null }];
		const stalled = planAt(live, 70, held);
		expect(stalled.open).toEqual([]);
		expect(stalled.resolve).toEqual([]);
		live.noteLastDose('P1', at(71).getTime());
		expect(planAt(live, 72, held).resolve).toEqual([
			{ id: 'a1', siteCode: 'P1', reason: 'doses resumed' }
		]);
	});

	it('raises none while the site is on paper, and gives it one stall window once back online', () => {
		const live = liveWith(40);
		live.setSiteMode('P1', 'manual', at(60));
		const held = [{ id: 'a1', siteCode: 'P1', parentId: null }];
		// Switched to paper: its open alert closes and no new one opens, however long it lasts.
		expect(planAt(live, 61, held).resolve).toEqual([
			{ id: 'a1', siteCode: 'P1', reason: 'switched to manual fallback' }
		]);
		expect(planAt(live, 300).open).toEqual([]);

		live.setSiteMode('P1', 'online', at(300));
		expect(planAt(live, 314.99).open).toEqual([]);
		expect(planAt(live, 315).open).toEqual([]);
		const past = planAt(live, 315.01).open;
		expect(past.map((o) => o.summary)).toEqual([
			'Aundh UPHC (P1) stalled: no dose since back online 15 min ago; device silent for 275 min'
		]);
	});
});

describe('grouping stalled sites under one parent', () => {
	const site = (code: string, districtCode: string, status: SiteNow['status']): SiteNow => ({
		code,
		name: `Site ${code}`,
		districtCode,
		status,
		cause: status === 'stalled' ? 'no dose for 20 min; device alive' : null
	});
	const names = { '521': 'Pune', '505': 'Nagpur' };
	const incident: OpenIncident = {
		id: 'inc-1',
		target: 'national-server',
		severity: 'down',
		openedAt: new Date('2021-01-16T04:00:00Z')
	};

	it('leaves a few stalls ungrouped', () => {
		const plan = planStallAlerts(
			{
				sites: [
					site('P1', '521', 'stalled'),
					site('P2', '521', 'stalled'),
					site('P3', '521', 'active')
				],
				districtNames: names,
				siteAlerts: [],
				groups: [],
				incidents: []
			},
			rule
		);
		expect(plan.open.map((o) => o.parentKey)).toEqual([null, null]);
		expect(plan.groups).toEqual([]);
	});

	it('groups a district-wide silence from its threshold on (count and share)', () => {
		const pune = (stalled: number, active: number) => [
			...Array.from({ length: stalled }, (_, i) => site(`P${i}`, '521', 'stalled')),
			...Array.from({ length: active }, (_, i) => site(`PA${i}`, '521', 'active'))
		];
		const plan = (sites: SiteNow[]) =>
			planStallAlerts(
				{ sites, districtNames: names, siteAlerts: [], groups: [], incidents: [] },
				rule
			);
		// 3 of 7 open: under half.
		expect(plan(pune(3, 4)).groups).toEqual([]);
		// 3 of 6: exactly half.
		const half = plan(pune(3, 3));
		expect(half.groups).toMatchObject([
			{
				key: 'district:521',
				districtCode: '521',
				count: 3,
				summary: '3 of 6 open sites in Pune stalled at once: a district-wide silence'
			}
		]);
		expect(half.open.map((o) => o.parentKey)).toEqual([
			'district:521',
			'district:521',
			'district:521'
		]);
		// Closed and manual sites are not open sites.
		expect(
			plan([...pune(3, 4), site('PC', '521', 'closed'), site('PM', '521', 'manual')]).groups
		).toEqual([]);
	});

	it('groups every stall under an outside health incident, not under the command centre’s own', () => {
		const sites = [
			site('P1', '521', 'stalled'),
			site('P2', '521', 'active'),
			site('N1', '505', 'stalled'),
			site('N2', '505', 'stalled')
		];
		const own = { ...incident, id: 'inc-own', target: 'command-centre' };
		const plan = planStallAlerts(
			{ sites, districtNames: names, siteAlerts: [], groups: [], incidents: [own, incident] },
			rule
		);
		expect(plan.groups).toMatchObject([
			{
				key: 'health:inc-1',
				districtCode: null,
				count: 3,
				summary: '3 sites stalled while National server (CoWIN) is down'
			}
		]);
		expect(new Set(plan.open.map((o) => o.parentKey))).toEqual(new Set(['health:inc-1']));
		const onlyOwn = planStallAlerts(
			{ sites, districtNames: names, siteAlerts: [], groups: [], incidents: [own] },
			rule
		);
		expect(onlyOwn.groups).toEqual([]);
	});

	it('moves open alerts under a parent when the cause appears, and out when it clears', () => {
		const sites = [
			site('P1', '521', 'stalled'),
			site('N1', '505', 'stalled'),
			site('N2', '505', 'stalled')
		];
		const held = [
			{ id: 'a1', siteCode: 'P1', parentId: null },
			{ id: 'a2', siteCode: 'N1', parentId: null }
		];
		const grouped = planStallAlerts(
			{ sites, districtNames: names, siteAlerts: held, groups: [], incidents: [incident] },
			rule
		);
		expect(grouped.regroup).toEqual([
			{ id: 'a1', siteCode: 'P1', parentKey: 'health:inc-1' },
			{ id: 'a2', siteCode: 'N1', parentKey: 'health:inc-1' }
		]);
		expect(grouped.open).toEqual([
			expect.objectContaining({ siteCode: 'N2', parentKey: 'health:inc-1' })
		]);

		// The incident closed; the sites are still stalled, each on its own again.
		const group = { id: 'g1', key: 'health:inc-1', summary: '3 sites stalled while …' };
		const children = [...held, { id: 'a3', siteCode: 'N2', parentId: null }].map((a) => ({
			...a,
			parentId: 'g1'
		}));
		const cleared = planStallAlerts(
			{ sites, districtNames: names, siteAlerts: children, groups: [group], incidents: [] },
			rule
		);
		expect(cleared.regroup.map((r) => r.parentKey)).toEqual([null, null, null]);
		expect(cleared.resolveGroups).toEqual([
			{ id: 'g1', key: 'health:inc-1', reason: 'no site left stalled from this cause' }
		]);
	});

	it('keeps an existing group and brings its count up to date', () => {
		const sites = ['N1', 'N2', 'N3', 'N4'].map((c) => site(c, '505', 'stalled'));
		const group = { id: 'g1', key: 'district:505', summary: 'old words' };
		const plan = planStallAlerts(
			{
				sites,
				districtNames: names,
				siteAlerts: [{ id: 'a1', siteCode: 'N1', parentId: 'g1' }],
				groups: [group],
				incidents: []
			},
			rule
		);
		expect(plan.regroup).toEqual([]);
		expect(plan.groups).toEqual([
			expect.objectContaining({
				existing: group,
				count: 4,
				summary: '4 of 4 open sites in Nagpur stalled at once: a district-wide silence'
			})
		]);
		expect(plan.resolveGroups).toEqual([]);
	});
});

describe('paper doses', () => {
	const hour = 3_600_000;
	const session = { capacity: 80, startsMs: 0, endsMs: 8 * hour };

	it('estimates the planned doses of the time on paper within session hours', () => {
		expect(estimatePaperDoses([{ fromMs: 2 * hour, toMs: 4 * hour }], [session], 10 * hour)).toBe(
			20
		);
		// An open period runs to now; time outside the session does not count.
		expect(estimatePaperDoses([{ fromMs: 6 * hour, toMs: null }], [session], 9 * hour)).toBe(20);
		expect(
			estimatePaperDoses(
				[
					{ fromMs: 0, toMs: hour },
					{ fromMs: 7 * hour, toMs: 9 * hour }
				],
				[session],
				10 * hour
			)
		).toBe(20);
	});

	it('expects the register count (else the estimate) less what is in the record; none once reconciled', () => {
		expect(
			paperDosesExpected({ stage: 'manual', registerCount: null, estimate: 40, accounted: 0 })
		).toBe(40);
		expect(
			paperDosesExpected({ stage: 'backfilling', registerCount: 35, estimate: 40, accounted: 30 })
		).toBe(5);
		expect(
			paperDosesExpected({ stage: 'backfilling', registerCount: 10, estimate: 40, accounted: 12 })
		).toBe(0);
		expect(
			paperDosesExpected({ stage: 'reconciled', registerCount: 35, estimate: 40, accounted: 35 })
		).toBe(0);
	});
});
