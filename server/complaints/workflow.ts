/**
 * What a change to a complaint does, decided before anything is written: the status move
 * (checked against the allowed transitions), assignment, priority and its SLA, category,
 * site, and the history lines it leaves. Pure: the clock is `now`.
 */
import {
	canTransition,
	categoryLabels,
	complaintTransitions,
	effectivePriority,
	isOpenStatus,
	isReopening,
	slaDueAt,
	statusLabels,
	type ComplaintCategory,
	type ComplaintEventKind,
	type ComplaintPriority,
	type ComplaintStatus,
	type SlaMinutes
} from '../../src/lib/shared/complaint';

export interface ComplaintState {
	status: ComplaintStatus;
	assignee: string | null;
	priority: ComplaintPriority;
	category: ComplaintCategory;
	siteCode: string | null;
	districtCode: string | null;
	openedAt: Date;
}

export interface ComplaintPatch {
	/** The status the caller saw: a change made on an out-of-date screen is refused (409). */
	from?: ComplaintStatus;
	status?: ComplaintStatus;
	/** A username, or null to take it off someone. */
	assignee?: string | null;
	priority?: ComplaintPriority;
	category?: ComplaintCategory;
	/** A new site (its district found by the caller), or null for none. */
	site?: { code: string; districtCode: string } | null;
	note?: string;
}

export interface EventDraft {
	kind: ComplaintEventKind;
	fromStatus?: ComplaintStatus;
	toStatus?: ComplaintStatus;
	note?: string | null;
	detail?: Record<string, unknown>;
}

export interface ComplaintChanges {
	status?: ComplaintStatus;
	assignee?: string | null;
	priority?: ComplaintPriority;
	category?: ComplaintCategory;
	siteCode?: string | null;
	districtCode?: string | null;
	slaDueAt?: Date;
	resolvedAt?: Date | null;
	closedAt?: Date | null;
}

export type UpdateDecision =
	| { ok: true; changes: ComplaintChanges; events: EventDraft[] }
	| { ok: false; status: 409 | 422; error: string };

const refuse = (error: string, status: 409 | 422 = 422): UpdateDecision => ({
	ok: false,
	status,
	error
});

/** Why a move is refused, in words a person can act on. */
export function transitionError(from: ComplaintStatus, to: ComplaintStatus): string {
	const allowed = complaintTransitions[from];
	const options = allowed.length
		? `; from ${statusLabels[from].toLowerCase()} it can go to ${allowed.join(', ')}`
		: '; a closed complaint is final';
	return `a ${from} complaint cannot move to ${to}${options}`;
}

export function decideUpdate(
	current: ComplaintState,
	patch: ComplaintPatch,
	sla: SlaMinutes,
	now: Date
): UpdateDecision {
	if (patch.from !== undefined && patch.from !== current.status) {
		return refuse(
			`the complaint is ${current.status} now, not ${patch.from}: reload it and try again`,
			409
		);
	}
	const note = patch.note?.trim() || null;

	// The status asked for, or the one an assignment implies.
	let to = patch.status ?? current.status;
	if (patch.status === undefined && patch.assignee !== undefined) {
		if (patch.assignee !== null && (current.status === 'new' || current.status === 'triaged'))
			to = 'assigned';
		if (patch.assignee === null && current.status === 'assigned') to = 'triaged';
	}
	const moving = to !== current.status;
	if (moving && !canTransition(current.status, to)) {
		return refuse(transitionError(current.status, to));
	}
	const openAfter = isOpenStatus(to);

	if (current.status === 'closed') {
		const other =
			patch.assignee !== undefined ||
			patch.priority !== undefined ||
			patch.category !== undefined ||
			patch.site !== undefined;
		if (other) return refuse('a closed complaint cannot be changed; add a note instead');
	}
	if (!openAfter && patch.assignee !== undefined && patch.assignee !== current.assignee) {
		return refuse(`a ${to} complaint cannot be reassigned; reopen it first`);
	}

	let assignee = patch.assignee !== undefined ? patch.assignee : current.assignee;
	if (moving && to === 'triaged') assignee = null;
	if (to === 'assigned' && !assignee) return refuse('assigning needs a person to assign it to');
	if (moving && to === 'resolved' && !note) {
		return refuse('resolving needs a note: what the caller was told, or what was done');
	}
	if (moving && isReopening(current.status, to) && !note) {
		return refuse('reopening needs a note saying why');
	}

	const category = patch.category ?? current.category;
	if (category === 'aefi' && patch.priority !== undefined && patch.priority !== 'urgent') {
		return refuse('an adverse event after vaccination is always urgent');
	}
	const priority = effectivePriority(category, patch.priority ?? current.priority);

	const changes: ComplaintChanges = {};
	const events: EventDraft[] = [];
	let noteUsed = false;

	if (moving) {
		changes.status = to;
		if (to === 'resolved') changes.resolvedAt = now;
		if (isReopening(current.status, to)) changes.resolvedAt = null;
		if (to === 'closed') changes.closedAt = now;
		events.push({ kind: 'status', fromStatus: current.status, toStatus: to, note });
		noteUsed = true;
	}
	if (assignee !== current.assignee) {
		changes.assignee = assignee;
		events.push({ kind: 'assigned', detail: { from: current.assignee, to: assignee } });
	}
	if (category !== current.category) {
		changes.category = category;
		events.push({
			kind: 'category',
			detail: { from: current.category, to: category, label: categoryLabels[category] }
		});
	}
	if (priority !== current.priority) {
		changes.priority = priority;
		changes.slaDueAt = slaDueAt(current.openedAt, priority, sla);
		events.push({
			kind: 'priority',
			detail: { from: current.priority, to: priority, slaDueAt: changes.slaDueAt.toISOString() }
		});
	}
	if (patch.site !== undefined) {
		const code = patch.site?.code ?? null;
		if (code !== current.siteCode) {
			changes.siteCode = code;
			changes.districtCode = patch.site ? patch.site.districtCode : current.districtCode;
			events.push({ kind: 'site', detail: { from: current.siteCode, to: code } });
		}
	}
	if (note && !noteUsed) events.push({ kind: 'note', note });
	if (events.length === 0) return refuse('nothing to change');
	return { ok: true, changes, events };
}
