/**
 * Complaints as the API, the live feed and the help-desk pages show them, and who may see
 * and work which of them (derived from the one policy module).
 */
import {
	isOpenStatus,
	type ComplaintActionView,
	type ComplaintEventView,
	type ComplaintFilter,
	type Assignee,
	type ComplaintView,
	type IncidentView,
	type SlaMinutes
} from '../shared/complaint';
import { can, scopeOf, type Action, type Principal, type Scope } from './auth/policy';
import type { Config } from './config';
import type { Db } from './db/client';
import {
	complaintAssignees,
	complaintById,
	complaintHistory,
	countComplaints,
	listComplaints,
	listIncidents,
	type ActionJson,
	type ComplaintRow
} from './db/queries/complaint';
import { phoneFor } from './privacy';

export function slaMinutes(config: Config): SlaMinutes {
	return {
		urgent: config.COMPLAINT_SLA_URGENT_MINUTES,
		high: config.COMPLAINT_SLA_HIGH_MINUTES,
		normal: config.COMPLAINT_SLA_NORMAL_MINUTES,
		low: config.COMPLAINT_SLA_LOW_MINUTES
	};
}

/**
 * Where a principal may do `action` on complaints: every district (and complaints without
 * one), some districts, or nowhere (null). A district officer works its own districts only.
 */
export function complaintScope(principal: Principal, action: Action): Scope | null {
	const scope = scopeOf(principal);
	if (scope.all) return can(principal, action) ? scope : null;
	const districts = scope.districts.filter((d) => can(principal, action, { districtCode: d }));
	return districts.length ? { all: false, districts } : null;
}

/** Whether a complaint in `districtCode` (null: none known) is within a scope. */
export function inComplaintScope(scope: Scope | null, districtCode: string | null): boolean {
	if (!scope) return false;
	if (scope.all) return true;
	return districtCode !== null && scope.districts.includes(districtCode);
}

/** Who did it, as the history shows it: a username, or `token:<name>` for a machine. */
export function actorOf(principal: Principal): string {
	return principal.kind === 'user' ? principal.user.username : `token:${principal.name}`;
}

function actionView(a: ActionJson | null): ComplaintActionView | null {
	if (!a) return null;
	const state =
		a.settled || a.seenStatus === 'resolved'
			? 'done'
			: a.seenStatus === 'acknowledged'
				? 'acknowledged'
				: 'requested';
	return {
		id: a.id,
		kind: a.kind,
		state,
		siteCode: a.siteCode,
		requestedAt: new Date(a.requestedAt).toISOString()
	};
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A complaint as `viewer` may see it (the caller's phone masked for roles that do not phone). */
export function complaintView(
	row: ComplaintRow,
	viewer: Principal | null,
	nowMs: number
): ComplaintView {
	return {
		id: row.id,
		at: row.openedAt.toISOString(),
		receivedAt: row.receivedAt.toISOString(),
		channel: row.channel,
		category: row.category,
		siteCode: row.siteCode,
		siteName: row.siteName,
		districtCode: row.districtCode,
		callerPhone: row.callerPhone
			? viewer
				? phoneFor(viewer, row.callerPhone)
				: row.callerPhone
			: null,
		notes: row.notes,
		priority: row.priority,
		status: row.status,
		assignee: row.assignee,
		slaDueAt: row.slaDueAt.toISOString(),
		slaBreached: isOpenStatus(row.status) && row.slaDueAt.getTime() < nowMs,
		incidentId: row.incidentId,
		incidentTitle: row.incidentTitle,
		resolvedAt: iso(row.resolvedAt),
		closedAt: iso(row.closedAt),
		updatedAt: row.updatedAt.toISOString(),
		createdBy: row.createdBy,
		action: actionView(row.action)
	};
}

export function eventView(
	row: Awaited<ReturnType<typeof complaintHistory>>[number]
): ComplaintEventView {
	return {
		id: row.id,
		at: row.at.toISOString(),
		actor: row.actor,
		kind: row.kind,
		fromStatus: row.fromStatus,
		toStatus: row.toStatus,
		note: row.note,
		detail: (row.detail as Record<string, unknown> | null) ?? null
	};
}

// ---- reads shared by the API and the help-desk pages ---------------------------------------

/** Why a read is refused: 403 (not for this person) or 404 (no such complaint they may see). */
export class ComplaintReadError extends Error {
	constructor(
		readonly status: 403 | 404,
		message: string
	) {
		super(message);
	}
}

/** Where a principal may read complaints: wherever it may work them. */
export function readScope(principal: Principal): Scope {
	const scope = complaintScope(principal, 'complaint.update');
	if (!scope)
		throw new ComplaintReadError(403, `forbidden: ${actorOf(principal)} may not read complaints`);
	return scope;
}

export async function readComplaints(
	db: Db,
	principal: Principal,
	filter: ComplaintFilter,
	limit: number,
	nowMs: number
): Promise<{ total: number; complaints: ComplaintView[] }> {
	const scope = readScope(principal);
	if (filter.districtCode && !inComplaintScope(scope, filter.districtCode)) {
		throw new ComplaintReadError(
			403,
			`forbidden: district ${filter.districtCode} is not one of yours`
		);
	}
	const districtScope = scope.all ? null : scope.districts;
	const [rows, total] = await Promise.all([
		listComplaints(db, { filter, districtScope, limit }),
		countComplaints(db, { filter, districtScope })
	]);
	return { total, complaints: rows.map((r) => complaintView(r, principal, nowMs)) };
}

export async function readComplaint(
	db: Db,
	principal: Principal,
	id: string,
	nowMs: number
): Promise<{ complaint: ComplaintView; history: ComplaintEventView[] }> {
	const scope = readScope(principal);
	const row = await complaintById(db, id);
	if (!row || !inComplaintScope(scope, row.districtCode)) {
		throw new ComplaintReadError(404, `no such complaint: ${id}`);
	}
	const history = await complaintHistory(db, id);
	return { complaint: complaintView(row, principal, nowMs), history: history.map(eventView) };
}

export async function readIncidents(db: Db, principal: Principal): Promise<IncidentView[]> {
	const scope = readScope(principal);
	const rows = await listIncidents(db, scope.all ? null : scope.districts);
	return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** People complaints in the principal's scope may be assigned to. */
export async function readAssignees(db: Db, principal: Principal): Promise<Assignee[]> {
	const scope = readScope(principal);
	const rows = await complaintAssignees(db);
	return rows
		.filter(
			(r) =>
				scope.all ||
				r.role !== 'district_officer' ||
				r.districts.some((d) => scope.districts.includes(d))
		)
		.map((r) => ({
			username: r.username,
			name: r.displayName || r.username,
			role: r.role,
			districts: r.role === 'district_officer' ? r.districts : []
		}));
}
