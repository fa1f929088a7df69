/**
 * The rules of stall alerts and of a fallback's paper doses, as plain functions of their
 * inputs (the clock is passed in): which site alerts open, close and group under a parent,
 * and how many paper doses a site still owes the record.
 */
import { targetLabel } from '../../src/lib/shared/health';
import type { SiteStatus } from '../../src/lib/shared/live';

export interface StallRule {
	/** Stalled sites that make a group (with a health incident open, or in one district). */
	groupMinSites: number;
	/** Share of a district's open sites that must be stalled for a district-wide silence. */
	groupShare: number;
}

export interface SiteNow {
	code: string;
	name: string;
	districtCode: string;
	status: SiteStatus;
	/** Why it is stalled (LiveState.siteCause), null otherwise. */
	cause: string | null;
}

export interface OpenSiteAlert {
	id: string;
	siteCode: string;
	parentId: string | null;
}

export interface OpenGroupAlert {
	id: string;
	key: string;
	summary: string;
}

export interface OpenIncident {
	id: string;
	target: string;
	severity: string;
	openedAt: Date;
}

export type GroupCause =
	| { kind: 'health'; incidentId: string; target: string; severity: string }
	| { kind: 'district'; districtCode: string; districtName: string; open: number };

export interface PlannedGroup {
	key: string;
	cause: GroupCause;
	districtCode: string | null;
	count: number;
	summary: string;
	/** The open group alert with this key, when there is one. */
	existing: OpenGroupAlert | null;
}

export interface StallPlan {
	/** Site alerts to open. */
	open: { siteCode: string; districtCode: string; summary: string; parentKey: string | null }[];
	/** Site alerts whose site is no longer stalled. */
	resolve: { id: string; siteCode: string; reason: string }[];
	/** Site alerts that stay open under another parent (or none). */
	regroup: { id: string; siteCode: string; parentKey: string | null }[];
	/** Groups with children after this pass: open them, or bring their summary up to date. */
	groups: PlannedGroup[];
	/** Open groups left without children. */
	resolveGroups: { id: string; key: string; reason: string }[];
}

export interface StallInput {
	sites: SiteNow[];
	districtNames: Record<string, string>;
	siteAlerts: OpenSiteAlert[];
	groups: OpenGroupAlert[];
	incidents: OpenIncident[];
}

/** This product's own health targets: its outages do not stop vaccination at sites. */
export function isOwnTarget(target: string): boolean {
	return target === 'command-centre' || target.startsWith('command-centre-');
}

const healthKey = (incidentId: string) => `health:${incidentId}`;
const districtKey = (code: string) => `district:${code}`;

/** Why an open site alert closes, from the site's status now. */
function resolution(status: SiteStatus | undefined): string {
	switch (status) {
		case 'active':
			return 'doses resumed';
		case 'manual':
			return 'switched to manual fallback';
		case 'closed':
			return 'session closed';
		case 'idle':
			return 'back online, first dose due';
		default:
			return 'site no longer known';
	}
}

export const siteAlertSummary = (site: { code: string; name: string; cause: string | null }) =>
	`${site.name} (${site.code}) stalled: ${site.cause ?? 'no recent dose'}`;

const sites = (n: number) => (n === 1 ? '1 site' : `${n} sites`);

function groupSummary(cause: GroupCause, count: number): string {
	if (cause.kind === 'health') {
		return `${sites(count)} stalled while ${targetLabel(cause.target)} is ${cause.severity}`;
	}
	return `${count} of ${cause.open} open sites in ${cause.districtName} stalled at once: a district-wide silence`;
}

/**
 * One pass of the stall alert rule. A site whose status is `stalled` has one open alert; it
 * closes when the site is anything else (doses resumed, switched to paper, session over).
 * Site alerts that share a cause go under one parent instead of each reaching the officers
 * on its own: first an open health incident of an outside service (when at least
 * `groupMinSites` sites are stalled), else a district-wide silence (at least `groupMinSites`
 * stalled sites that are at least `groupShare` of the district's open ones).
 */
export function planStallAlerts(input: StallInput, rule: StallRule): StallPlan {
	const stalled = input.sites.filter((s) => s.status === 'stalled');
	const statusOf = new Map(input.sites.map((s) => [s.code, s.status]));

	// The oldest outside incident explains a wave of stalls best: it came first.
	const incident = input.incidents
		.filter((i) => !isOwnTarget(i.target))
		.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.id.localeCompare(b.id))[0];
	const healthCause: GroupCause | null =
		incident && stalled.length >= rule.groupMinSites
			? {
					kind: 'health',
					incidentId: incident.id,
					target: incident.target,
					severity: incident.severity
				}
			: null;

	const perDistrict = new Map<string, { open: number; stalled: number }>();
	for (const s of input.sites) {
		if (s.status !== 'active' && s.status !== 'idle' && s.status !== 'stalled') continue;
		const d = perDistrict.get(s.districtCode) ?? { open: 0, stalled: 0 };
		d.open++;
		if (s.status === 'stalled') d.stalled++;
		perDistrict.set(s.districtCode, d);
	}

	const causes = new Map<string, GroupCause>();
	const parentOf = (site: SiteNow): string | null => {
		if (incident && healthCause) {
			const key = healthKey(incident.id);
			causes.set(key, healthCause);
			return key;
		}
		const d = perDistrict.get(site.districtCode);
		if (d && d.stalled >= rule.groupMinSites && d.stalled / d.open >= rule.groupShare) {
			const key = districtKey(site.districtCode);
			causes.set(key, {
				kind: 'district',
				districtCode: site.districtCode,
				districtName: input.districtNames[site.districtCode] ?? site.districtCode,
				open: d.open
			});
			return key;
		}
		return null;
	};

	const openBySite = new Map(input.siteAlerts.map((a) => [a.siteCode, a]));
	const groupById = new Map(input.groups.map((g) => [g.id, g]));
	const plan: StallPlan = { open: [], resolve: [], regroup: [], groups: [], resolveGroups: [] };
	const counts = new Map<string, number>();
	const count = (key: string | null) => {
		if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
	};

	for (const alert of input.siteAlerts) {
		if (statusOf.get(alert.siteCode) !== 'stalled') {
			plan.resolve.push({
				id: alert.id,
				siteCode: alert.siteCode,
				reason: resolution(statusOf.get(alert.siteCode))
			});
		}
	}
	for (const site of stalled) {
		const parentKey = parentOf(site);
		count(parentKey);
		const held = openBySite.get(site.code);
		if (!held) {
			plan.open.push({
				siteCode: site.code,
				districtCode: site.districtCode,
				summary: siteAlertSummary(site),
				parentKey
			});
			continue;
		}
		const heldKey = held.parentId ? (groupById.get(held.parentId)?.key ?? null) : null;
		if (heldKey !== parentKey) plan.regroup.push({ id: held.id, siteCode: site.code, parentKey });
	}

	const groupByKey = new Map(input.groups.map((g) => [g.key, g]));
	for (const [key, n] of counts) {
		const cause = causes.get(key)!;
		plan.groups.push({
			key,
			cause,
			districtCode: cause.kind === 'district' ? cause.districtCode : null,
			count: n,
			summary: groupSummary(cause, n),
			existing: groupByKey.get(key) ?? null
		});
	}
	for (const g of input.groups) {
		if (!counts.has(g.key)) {
			plan.resolveGroups.push({
				id: g.id,
				key: g.key,
				reason: 'no site left stalled from this cause'
			});
		}
	}
	return plan;
}

// ---- paper doses ------------------------------------------------------------------------

export interface PlannedSession {
	capacity: number;
	startsMs: number;
	endsMs: number;
}

/**
 * Doses a site planned while it worked on paper: each session's capacity spread over its
 * hours, counted for the time it overlaps a manual period (an open period runs to `nowMs`).
 */
export function estimatePaperDoses(
	periods: { fromMs: number; toMs: number | null }[],
	sessions: PlannedSession[],
	nowMs: number
): number {
	let doses = 0;
	for (const s of sessions) {
		const length = s.endsMs - s.startsMs;
		if (length <= 0) continue;
		for (const p of periods) {
			const from = Math.max(p.fromMs, s.startsMs);
			const to = Math.min(p.toMs ?? nowMs, s.endsMs);
			if (to > from) doses += (s.capacity * (to - from)) / length;
		}
	}
	return Math.round(doses);
}

/**
 * Paper doses a fallback still owes the record: the register's count once an officer has
 * reported it, else the estimate, less the paper doses already in the record. None once
 * reconciled.
 */
export function paperDosesExpected(e: {
	stage: 'manual' | 'backfilling' | 'reconciled';
	registerCount: number | null;
	estimate: number;
	accounted: number;
}): number {
	if (e.stage === 'reconciled') return 0;
	return Math.max(0, (e.registerCount ?? e.estimate) - e.accounted);
}
