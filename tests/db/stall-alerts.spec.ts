/**
 * The stall alert detector on a real database with a pinned clock: alerts open just past
 * the threshold and not before, once per site, resolve when doses resume, and a wave of
 * stalls with one cause goes under one parent alert.
 */
import { beforeEach, expect, it } from 'vitest';
import { alertEventsFor, openAlertsOfKinds } from '../../src/lib/server/db/queries/alert';
import {
	insertHealthIncident,
	resolveHealthIncident
} from '../../src/lib/server/db/queries/health';
import { alertEvents, alerts } from '../../src/lib/server/db/schema';
import { SITE_STALLED, STALL_GROUP } from '../../src/lib/shared/fallback';
import { FallbackService } from '../../server/fallback/service';
import { applyChange, type LiveChange } from '../../server/live/change';
import { LiveState, type LiveLoad } from '../../server/live/state';
import { createLogger } from '../../server/log';
import { forEachDatabase } from './databases';

const TZ = 'Asia/Kolkata';
const MINUTE = 60_000;
const opened = new Date('2021-01-16T03:30:00Z'); // 09:00 IST
const at = (minutes: number) => new Date(opened.getTime() + minutes * MINUTE);

/** Pune: P0…P5; Nagpur: N0…N9. Every session opens at 09:00; every site doses at 09:40. */
function load(): LiveLoad {
	const codes = [
		...Array.from({ length: 6 }, (_, i) => `P${i}`),
		...Array.from({ length: 10 }, (_, i) => `N${i}`)
	];
	return {
		districts: [
			{ code: '521', name: 'Pune' },
			{ code: '505', name: 'Nagpur' }
		],
		sites: codes.map((code) => ({
			code,
			name: `Site ${code}`,
			districtCode: code.startsWith('P') ? '521' : '505',
			lat: null,
			lon: null,
			mode: 'online' as const,
			lastHeartbeatAt: at(40)
		})),
		sessions: codes.map((siteCode) => ({
			siteCode,
			date: '2021-01-16',
			capacity: 100,
			startsAt: at(0),
			endsAt: at(480)
		})),
		rollups: [],
		lastDoses: new Map(codes.map((c) => [c, at(40).getTime()])),
		sms: [],
		health: [],
		alerts: []
	};
}

forEachDatabase('stall alerts', (db) => {
	let clock: Date;
	let live: LiveState;
	let published: LiveChange[];
	let fallback: FallbackService;

	beforeEach(async () => {
		// Each test starts with no alert open.
		await db().db.delete(alertEvents);
		await db().db.delete(alerts);
		clock = at(0);
		live = new LiveState({
			timeZone: TZ,
			thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
			simulated: false
		});
		live.load(load(), clock);
		published = [];
		fallback = new FallbackService({
			config: {
				APP_TIMEZONE: TZ,
				STATUS_INTERVAL_SECONDS: 10,
				STALL_GROUP_MIN_SITES: 5,
				STALL_GROUP_SHARE: 0.5,
				NOTIFY_TIMEOUT_MS: 1000
			},
			handle: db(),
			live,
			log: createLogger('silent'),
			publish: (change) => {
				published.push(change);
				applyChange(live, change, clock);
			},
			now: () => clock
		});
	});

	const open = async () => openAlertsOfKinds(db().db, [SITE_STALLED, STALL_GROUP]);
	const passAt = async (minutes: number) => {
		clock = at(minutes);
		return fallback.detector.pass();
	};
	const dose = (site: string, minutes: number) => live.noteLastDose(site, at(minutes).getTime());

	it('opens one alert per site just past the stall window, none at or under it', async () => {
		// Keep all but P1 dosing, so no group forms.
		const keepDosing = (m: number) => {
			for (const code of live.siteCodes()) if (code !== 'P1') dose(code, m);
		};
		keepDosing(54);
		await passAt(54.99);
		await passAt(55);
		expect(await open()).toEqual([]);
		await passAt(55.01);
		const first = await open();
		expect(first).toHaveLength(1);
		expect(first[0]).toMatchObject({
			kind: SITE_STALLED,
			status: 'open',
			siteCode: 'P1',
			districtCode: '521',
			parentId: null,
			summary: 'Site P1 (P1) stalled: no dose for 15 min; device silent for 15 min'
		});
		expect(live.alertView(first[0].id)).toMatchObject({ kind: SITE_STALLED, siteCode: 'P1' });
		await passAt(56);
		expect(await open()).toHaveLength(1);

		// Doses resume: the alert resolves by itself, its life kept.
		dose('P1', 57);
		await passAt(57.5);
		expect(await open()).toEqual([]);
		expect(live.alertView(first[0].id)).toBeUndefined();
		const life = await alertEventsFor(db().db, [first[0].id]);
		expect(life.map((e) => [e.kind, e.actor, e.text])).toEqual([
			['opened', 'system', first[0].summary],
			['resolved', 'system', 'doses resumed']
		]);
	});

	it('groups a wave of stalls under one open health incident, and lets go when it closes', async () => {
		const incident = await insertHealthIncident(db().db, {
			openedAt: at(50),
			summary: 'National server (CoWIN) down: 2 failed checks in a row',
			detail: {
				target: 'national-server',
				severity: 'down',
				since: at(49).toISOString(),
				reason: 'x'
			}
		});
		// Half of Nagpur keeps dosing; the rest of the state stalls.
		for (const code of ['N0', 'N1', 'N2', 'N3', 'N4']) dose(code, 60);
		await passAt(60);
		const rows = await open();
		const groups = rows.filter((r) => r.kind === STALL_GROUP);
		const sites = rows.filter((r) => r.kind === SITE_STALLED);
		expect(groups).toHaveLength(1);
		expect(groups[0]).toMatchObject({
			districtCode: null,
			summary: '11 sites stalled while National server (CoWIN) is down'
		});
		expect(sites).toHaveLength(11);
		expect(new Set(sites.map((s) => s.parentId))).toEqual(new Set([groups[0].id]));
		// The screens hear of the parent and its children in one change.
		const alerts = published.flatMap((c) => c.alerts ?? []);
		expect(alerts.filter((a) => a.parentId === groups[0].id)).toHaveLength(11);

		// Acknowledging the parent acknowledges the group.
		await fallback.acknowledge({ name: 'state.officer' }, groups[0].id);
		expect((await open()).every((r) => r.status === 'acknowledged')).toBe(true);

		await resolveHealthIncident(db().db, incident.id, {
			closedAt: at(70),
			detail: {
				target: 'national-server',
				severity: 'down',
				since: at(49).toISOString(),
				reason: 'x'
			}
		});
		await passAt(71);
		const after = await open();
		expect(live.alertView(groups[0].id)).toBeUndefined();
		// Still stalled: all of Pune and half of Nagpur, each now a district-wide silence.
		const districtGroups = after.filter((r) => r.kind === STALL_GROUP);
		expect(districtGroups.map((g) => g.summary).sort()).toEqual([
			'5 of 10 open sites in Nagpur stalled at once: a district-wide silence',
			'6 of 6 open sites in Pune stalled at once: a district-wide silence'
		]);
		const parentOf = new Map(districtGroups.map((g) => [g.districtCode, g.id]));
		for (const r of after.filter((r) => r.kind === SITE_STALLED))
			expect(r.parentId).toBe(parentOf.get(r.districtCode));
		const moved = await alertEventsFor(db().db, [sites[0].id]);
		expect(moved.map((e) => e.kind)).toEqual(['opened', 'grouped', 'acknowledged', 'grouped']);
	});

	it('groups a district-wide silence under its district, and lets go under the threshold', async () => {
		// All of Nagpur keeps dosing; all six Pune sites stall.
		for (const code of live.siteCodes()) if (code.startsWith('N')) dose(code, 60);
		await passAt(60);
		const rows = await open();
		const group = rows.find((r) => r.kind === STALL_GROUP)!;
		expect(group).toMatchObject({
			districtCode: '521',
			summary: '6 of 6 open sites in Pune stalled at once: a district-wide silence'
		});
		expect(rows.filter((r) => r.parentId === group.id)).toHaveLength(6);

		// One site recovers: five of six is still a silence; the parent's words follow.
		dose('P0', 61);
		await passAt(61.5);
		expect((await open()).find((r) => r.id === group.id)?.summary).toBe(
			'5 of 6 open sites in Pune stalled at once: a district-wide silence'
		);

		// Four stalled sites are under the threshold: each stands alone again.
		dose('P1', 62);
		await passAt(62.5);
		const now = await open();
		expect(now.find((r) => r.id === group.id)).toBeUndefined();
		expect(now.map((r) => [r.siteCode, r.parentId]).sort()).toEqual([
			['P2', null],
			['P3', null],
			['P4', null],
			['P5', null]
		]);
	});
});
