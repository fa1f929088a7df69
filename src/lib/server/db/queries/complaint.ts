import {
	and,
	asc,
	desc,
	eq,
	gt,
	gte,
	ilike,
	inArray,
	isNotNull,
	isNull,
	lt,
	or,
	sql
} from 'drizzle-orm';
import type {
	ComplaintActionKind,
	ComplaintCategory,
	ComplaintChannel,
	ComplaintEventKind,
	ComplaintFilter,
	ComplaintPriority,
	ComplaintStatus
} from '../../../shared/complaint';
import { COMPLAINT_SPIKE, HELPDESK_ACTION } from '../../../shared/complaint';
import type { Db } from '../client';
import {
	alertEvents,
	alerts,
	complaintActionMembers,
	complaintActions,
	complaintEvents,
	complaintIncidents,
	complaints,
	districts,
	sessions,
	sites,
	smsMessages,
	users
} from '../schema';

// ---- complaints ---------------------------------------------------------------------------

export interface NewComplaint {
	id: string;
	openedAt: Date;
	receivedAt: Date;
	channel: ComplaintChannel;
	category: ComplaintCategory;
	siteCode: string | null;
	districtCode: string | null;
	callerPhone: string | null;
	notes: string | null;
	priority: ComplaintPriority;
	slaDueAt: Date;
	createdBy: string;
}

/** Insert complaints, idempotent by id; returns the ids actually inserted. */
export async function insertComplaints(db: Db, rows: NewComplaint[]): Promise<Set<string>> {
	if (rows.length === 0) return new Set();
	const inserted = await db
		.insert(complaints)
		.values(rows.map((r) => ({ ...r, status: 'new' as const, updatedAt: r.receivedAt })))
		.onConflictDoNothing({ target: complaints.id })
		.returning({ id: complaints.id });
	return new Set(inserted.map((r) => r.id));
}

export interface NewComplaintEvent {
	complaintId: string;
	at: Date;
	actor: string;
	kind: ComplaintEventKind;
	fromStatus?: ComplaintStatus | null;
	toStatus?: ComplaintStatus | null;
	note?: string | null;
	detail?: Record<string, unknown> | null;
}

export async function insertComplaintEvents(db: Db, rows: NewComplaintEvent[]): Promise<void> {
	if (rows.length === 0) return;
	await db.insert(complaintEvents).values(
		rows.map((e) => ({
			complaintId: e.complaintId,
			at: e.at,
			actor: e.actor,
			kind: e.kind,
			fromStatus: e.fromStatus ?? null,
			toStatus: e.toStatus ?? null,
			note: e.note ?? null,
			detail: e.detail ?? null
		}))
	);
}

/** The latest hand-off of a complaint (its own, or its incident's), as JSON. */
export interface ActionJson {
	id: string;
	kind: ComplaintActionKind;
	siteCode: string | null;
	seenStatus: 'open' | 'acknowledged' | 'resolved';
	settled: boolean;
	requestedAt: string;
}

const latestAction = sql<ActionJson | null>`(
	select json_build_object(
		'id', a.id, 'kind', a.kind, 'siteCode', a.site_code, 'seenStatus', a.seen_status,
		'settled', a.settled_at is not null, 'requestedAt', a.requested_at)
	from complaint_actions a
	where exists (select 1 from complaint_action_members m
			where m.action_id = a.id and m.complaint_id = ${complaints.id})
		or (${complaints.incidentId} is not null and a.incident_id = ${complaints.incidentId})
	order by a.requested_at desc
	limit 1)`;

const complaintColumns = {
	id: complaints.id,
	openedAt: complaints.openedAt,
	receivedAt: complaints.receivedAt,
	channel: complaints.channel,
	category: complaints.category,
	siteCode: complaints.siteCode,
	siteName: sites.name,
	districtCode: complaints.districtCode,
	callerPhone: complaints.callerPhone,
	notes: complaints.notes,
	priority: complaints.priority,
	status: complaints.status,
	assignee: complaints.assignee,
	slaDueAt: complaints.slaDueAt,
	incidentId: complaints.incidentId,
	incidentTitle: complaintIncidents.title,
	resolvedAt: complaints.resolvedAt,
	closedAt: complaints.closedAt,
	updatedAt: complaints.updatedAt,
	createdBy: complaints.createdBy,
	action: latestAction
};

export interface ComplaintRow {
	id: string;
	openedAt: Date;
	receivedAt: Date;
	channel: ComplaintChannel;
	category: ComplaintCategory;
	siteCode: string | null;
	siteName: string | null;
	districtCode: string | null;
	callerPhone: string | null;
	notes: string | null;
	priority: ComplaintPriority;
	status: ComplaintStatus;
	assignee: string | null;
	slaDueAt: Date;
	incidentId: string | null;
	incidentTitle: string | null;
	resolvedAt: Date | null;
	closedAt: Date | null;
	updatedAt: Date;
	createdBy: string;
	action: ActionJson | null;
}

const OPEN: ComplaintStatus[] = ['new', 'triaged', 'assigned'];

/** `%text%` for LIKE, with the pattern characters in the text taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filterWhere(filter: ComplaintFilter, districtScope: string[] | null) {
	const q = filter.q?.trim();
	const digits = q?.replace(/\D/g, '') ?? '';
	return and(
		districtScope ? inArray(complaints.districtCode, districtScope) : undefined,
		filter.status === 'open'
			? inArray(complaints.status, OPEN)
			: filter.status
				? eq(complaints.status, filter.status)
				: undefined,
		filter.districtCode ? eq(complaints.districtCode, filter.districtCode) : undefined,
		filter.siteCode ? eq(complaints.siteCode, filter.siteCode) : undefined,
		filter.category ? eq(complaints.category, filter.category) : undefined,
		filter.priority ? eq(complaints.priority, filter.priority) : undefined,
		filter.assignee ? eq(complaints.assignee, filter.assignee) : undefined,
		filter.incidentId ? eq(complaints.incidentId, filter.incidentId) : undefined,
		q
			? or(
					ilike(complaints.id, contains(q)),
					ilike(complaints.notes, contains(q)),
					ilike(complaints.siteCode, contains(q)),
					ilike(sites.name, contains(q)),
					digits.length >= 3 ? ilike(complaints.callerPhone, contains(digits)) : undefined
				)
			: undefined
	);
}

/**
 * Complaints for the queue: open first, the soonest SLA first; then the others, the most
 * recently changed first. `districtScope` null: every district (and those with none).
 */
export async function listComplaints(
	db: Db,
	params: { filter: ComplaintFilter; districtScope: string[] | null; limit: number }
): Promise<ComplaintRow[]> {
	const rows = await db
		.select(complaintColumns)
		.from(complaints)
		.leftJoin(sites, eq(sites.code, complaints.siteCode))
		.leftJoin(complaintIncidents, eq(complaintIncidents.id, complaints.incidentId))
		.where(filterWhere(params.filter, params.districtScope))
		.orderBy(
			sql`(${complaints.status} in ('new', 'triaged', 'assigned')) desc`,
			sql`case when ${complaints.status} in ('new', 'triaged', 'assigned') then ${complaints.slaDueAt} end asc`,
			desc(complaints.updatedAt),
			asc(complaints.id)
		)
		.limit(params.limit);
	return rows as ComplaintRow[];
}

/** How many complaints match, without the limit (the queue says "200 of 1,234"). */
export async function countComplaints(
	db: Db,
	params: { filter: ComplaintFilter; districtScope: string[] | null }
): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(complaints)
		.leftJoin(sites, eq(sites.code, complaints.siteCode))
		.where(filterWhere(params.filter, params.districtScope));
	return Number(row?.n ?? 0);
}

export async function complaintsByIds(db: Db, ids: string[]): Promise<ComplaintRow[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.select(complaintColumns)
		.from(complaints)
		.leftJoin(sites, eq(sites.code, complaints.siteCode))
		.leftJoin(complaintIncidents, eq(complaintIncidents.id, complaints.incidentId))
		.where(inArray(complaints.id, ids));
	return rows as ComplaintRow[];
}

export async function complaintById(db: Db, id: string): Promise<ComplaintRow | null> {
	return (await complaintsByIds(db, [id]))[0] ?? null;
}

export interface LockedComplaint {
	id: string;
	status: ComplaintStatus;
	assignee: string | null;
	priority: ComplaintPriority;
	category: ComplaintCategory;
	siteCode: string | null;
	districtCode: string | null;
	openedAt: Date;
	incidentId: string | null;
}

/** Inside a transaction: these complaints, locked until it ends (concurrent changes queue). */
export async function lockComplaints(tx: Db, ids: string[]): Promise<LockedComplaint[]> {
	if (ids.length === 0) return [];
	const rows = await tx
		.select({
			id: complaints.id,
			status: complaints.status,
			assignee: complaints.assignee,
			priority: complaints.priority,
			category: complaints.category,
			siteCode: complaints.siteCode,
			districtCode: complaints.districtCode,
			openedAt: complaints.openedAt,
			incidentId: complaints.incidentId
		})
		.from(complaints)
		.where(inArray(complaints.id, ids))
		.orderBy(asc(complaints.id))
		.for('update');
	return rows as LockedComplaint[];
}

export async function updateComplaint(
	tx: Db,
	id: string,
	changes: Partial<{
		status: ComplaintStatus;
		assignee: string | null;
		priority: ComplaintPriority;
		category: ComplaintCategory;
		siteCode: string | null;
		districtCode: string | null;
		slaDueAt: Date;
		resolvedAt: Date | null;
		closedAt: Date | null;
		incidentId: string | null;
	}>,
	at: Date
): Promise<void> {
	await tx
		.update(complaints)
		.set({ ...changes, updatedAt: at })
		.where(eq(complaints.id, id));
}

export async function complaintHistory(db: Db, id: string) {
	return db
		.select({
			id: complaintEvents.id,
			at: complaintEvents.at,
			actor: complaintEvents.actor,
			kind: complaintEvents.kind,
			fromStatus: complaintEvents.fromStatus,
			toStatus: complaintEvents.toStatus,
			note: complaintEvents.note,
			detail: complaintEvents.detail
		})
		.from(complaintEvents)
		.where(eq(complaintEvents.complaintId, id))
		.orderBy(asc(complaintEvents.at), asc(complaintEvents.id));
}

// ---- where a complaint is ---------------------------------------------------------------------

export interface SitePlace {
	name: string;
	districtCode: string;
	mode: 'online' | 'manual';
	modeChangedAt: Date | null;
}

/** Sites by code, with their district and mode (to check and fill in a complaint's place). */
export async function siteDistricts(db: Db, codes: string[]): Promise<Map<string, SitePlace>> {
	if (codes.length === 0) return new Map();
	const rows = await db
		.select({
			code: sites.code,
			name: sites.name,
			districtCode: sites.districtCode,
			mode: sites.mode,
			modeChangedAt: sites.modeChangedAt
		})
		.from(sites)
		.where(inArray(sites.code, [...new Set(codes)]));
	return new Map(rows.map((r) => [r.code, r]));
}

export async function knownDistricts(db: Db, codes: string[]): Promise<Set<string>> {
	if (codes.length === 0) return new Set();
	const rows = await db
		.select({ code: districts.code })
		.from(districts)
		.where(inArray(districts.code, [...new Set(codes)]));
	return new Set(rows.map((r) => r.code));
}

/** People a complaint may be assigned to: active accounts of roles that work complaints. */
export async function complaintAssignees(db: Db) {
	return db
		.select({
			username: users.username,
			displayName: users.displayName,
			role: users.role,
			districts: users.districts
		})
		.from(users)
		.where(
			and(
				isNull(users.disabledAt),
				inArray(users.role, ['helpdesk', 'district_officer', 'state_officer', 'admin'])
			)
		)
		.orderBy(asc(users.username));
}

// ---- incidents ------------------------------------------------------------------------------

export async function insertIncident(
	tx: Db,
	params: { title: string; createdBy: string; at: Date }
): Promise<{ id: string; title: string }> {
	const [row] = await tx
		.insert(complaintIncidents)
		.values({ title: params.title, createdBy: params.createdBy, createdAt: params.at })
		.returning({ id: complaintIncidents.id, title: complaintIncidents.title });
	return row;
}

export async function incidentById(db: Db, id: string) {
	const [row] = await db
		.select({ id: complaintIncidents.id, title: complaintIncidents.title })
		.from(complaintIncidents)
		.where(eq(complaintIncidents.id, id));
	return row ?? null;
}

/**
 * Incidents with how many complaints each holds (and how many are still open), newest
 * first. With a district scope, only incidents holding complaints in those districts,
 * counted within them.
 */
export async function listIncidents(db: Db, districtScope: string[] | null, limit = 200) {
	const inScope = districtScope ? inArray(complaints.districtCode, districtScope) : sql`true`;
	const rows = await db
		.select({
			id: complaintIncidents.id,
			title: complaintIncidents.title,
			createdAt: complaintIncidents.createdAt,
			createdBy: complaintIncidents.createdBy,
			complaints: sql<number>`count(${complaints.id}) filter (where ${inScope})::int`,
			open: sql<number>`count(${complaints.id}) filter (where ${inScope} and ${inArray(complaints.status, OPEN)})::int`
		})
		.from(complaintIncidents)
		.leftJoin(complaints, eq(complaints.incidentId, complaintIncidents.id))
		.groupBy(complaintIncidents.id)
		.having(districtScope ? sql`count(${complaints.id}) filter (where ${inScope}) > 0` : undefined)
		.orderBy(desc(complaintIncidents.createdAt))
		.limit(limit);
	return rows.map((r) => ({ ...r, complaints: Number(r.complaints), open: Number(r.open) }));
}

// ---- alerts raised by complaints ---------------------------------------------------------------

/**
 * Serialise the complaint detectors across processes sharing one database: held until
 * the transaction ends. 0x636f6d70 = 'comp'.
 */
export async function lockComplaintDetectors(tx: Db): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(${0x636f6d70}::bigint)`);
}

/** Complaints with a district made after `from` (and not after `to`), for the spike rule. */
export async function complaintsForSpikes(db: Db, params: { from: Date; to: Date }) {
	return db
		.select({
			category: complaints.category,
			districtCode: complaints.districtCode,
			atMs: sql<number>`(extract(epoch from ${complaints.openedAt}) * 1000)::float8`
		})
		.from(complaints)
		.where(
			and(
				gt(complaints.openedAt, params.from),
				lt(complaints.openedAt, params.to),
				isNotNull(complaints.districtCode)
			)
		);
}

export interface SpikeDetail {
	category: ComplaintCategory;
	count: number;
	windowMinutes: number;
	firstAt: string;
	lastAt: string;
	closedReason?: string;
}

export interface SpikeAlertRow {
	id: string;
	status: 'open' | 'acknowledged' | 'resolved';
	openedAt: Date;
	closedAt: Date | null;
	districtCode: string | null;
	summary: string;
	detail: SpikeDetail;
}

const alertColumns = {
	id: alerts.id,
	status: alerts.status,
	openedAt: alerts.openedAt,
	closedAt: alerts.closedAt,
	districtCode: alerts.districtCode,
	summary: alerts.summary,
	detail: alerts.detail
};

/** Spike alerts open now, and those closed after `closedSince`. */
export async function spikeAlerts(db: Db, closedSince: Date): Promise<SpikeAlertRow[]> {
	const rows = await db
		.select(alertColumns)
		.from(alerts)
		.where(
			and(
				eq(alerts.kind, COMPLAINT_SPIKE),
				or(inArray(alerts.status, ['open', 'acknowledged']), gte(alerts.closedAt, closedSince))
			)
		);
	return rows as SpikeAlertRow[];
}

export async function insertComplaintAlert(
	tx: Db,
	params: {
		id?: string;
		kind: typeof COMPLAINT_SPIKE | typeof HELPDESK_ACTION;
		openedAt: Date;
		districtCode: string | null;
		siteCode: string | null;
		summary: string;
		detail: Record<string, unknown>;
	}
) {
	const [row] = await tx
		.insert(alerts)
		.values({ ...params, status: 'open' })
		.returning(alertColumns);
	return row as SpikeAlertRow;
}

export async function updateSpikeAlert(
	tx: Db,
	id: string,
	params: { summary: string; detail: SpikeDetail }
) {
	const [row] = await tx
		.update(alerts)
		.set({ summary: params.summary, detail: params.detail })
		.where(eq(alerts.id, id))
		.returning({ ...alertColumns, siteCode: alerts.siteCode, kind: alerts.kind });
	return row ?? null;
}

/** Resolve an alert raised for complaints; false when it was no longer open. */
export async function resolveComplaintAlert(
	tx: Db,
	id: string,
	params: { closedAt: Date; detail: Record<string, unknown> }
): Promise<boolean> {
	const rows = await tx
		.update(alerts)
		.set({ status: 'resolved', closedAt: params.closedAt, detail: params.detail })
		.where(and(eq(alerts.id, id), inArray(alerts.status, ['open', 'acknowledged'])))
		.returning({ id: alerts.id });
	return rows.length > 0;
}

/** A line in an alert's life (the same table the officers' alert list writes). */
export async function appendAlertEvent(
	tx: Db,
	params: { alertId: string; at: Date; kind: 'opened' | 'resolved'; actor: string; text: string }
): Promise<void> {
	await tx.insert(alertEvents).values(params);
}

// ---- hand-offs to officers ---------------------------------------------------------------------

export interface NewAction {
	id: string;
	complaintId: string;
	incidentId: string | null;
	kind: ComplaintActionKind;
	siteCode: string | null;
	districtCode: string | null;
	note: string | null;
	requestedBy: string;
	requestedAt: Date;
}

export async function insertAction(tx: Db, row: NewAction): Promise<void> {
	await tx.insert(complaintActions).values(row);
	await addActionMember(tx, row.id, row.complaintId);
}

/** A complaint that joins a request already made (its outcome is written to it too). */
export async function addActionMember(
	tx: Db,
	actionId: string,
	complaintId: string
): Promise<void> {
	await tx.insert(complaintActionMembers).values({ actionId, complaintId }).onConflictDoNothing();
}

/** A request of this kind for this site still waiting for its outcome, if any. */
export async function pendingActionFor(
	tx: Db,
	params: { kind: ComplaintActionKind; siteCode: string | null; complaintId: string }
) {
	const [row] = await tx
		.select({ id: complaintActions.id, complaintId: complaintActions.complaintId })
		.from(complaintActions)
		.innerJoin(alerts, eq(alerts.id, complaintActions.id))
		.where(
			and(
				eq(complaintActions.kind, params.kind),
				isNull(complaintActions.settledAt),
				inArray(alerts.status, ['open', 'acknowledged']),
				params.siteCode === null
					? eq(complaintActions.complaintId, params.complaintId)
					: eq(complaintActions.siteCode, params.siteCode)
			)
		)
		.limit(1);
	return row ?? null;
}

export interface PendingAction {
	id: string;
	complaintId: string;
	incidentId: string | null;
	kind: ComplaintActionKind;
	siteCode: string | null;
	requestedAt: Date;
	seenStatus: 'open' | 'acknowledged' | 'resolved';
	/** The alert as it stands now (null when it has gone). */
	alertStatus: 'open' | 'acknowledged' | 'resolved' | null;
	alertClosedAt: Date | null;
	/** The site's mode now, and since when. */
	siteMode: 'online' | 'manual' | null;
	modeChangedAt: Date | null;
	/**
	 * What people did on the alert since the complaints were last told (alert_events after
	 * the id the latest outcome line recorded), oldest first.
	 */
	newWords: { id: number; kind: string; actor: string; text: string | null }[] | null;
}

/** Hand-offs whose outcome the complaints have not been told yet. */
export async function unsettledActions(db: Db): Promise<PendingAction[]> {
	const rows = await db
		.select({
			id: complaintActions.id,
			complaintId: complaintActions.complaintId,
			incidentId: complaintActions.incidentId,
			kind: complaintActions.kind,
			siteCode: complaintActions.siteCode,
			requestedAt: complaintActions.requestedAt,
			seenStatus: complaintActions.seenStatus,
			alertStatus: alerts.status,
			alertClosedAt: alerts.closedAt,
			siteMode: sites.mode,
			modeChangedAt: sites.modeChangedAt,
			newWords: sql<PendingAction['newWords']>`(
				select json_agg(json_build_object('id', e.id, 'kind', e.kind, 'actor', e.actor, 'text', e.text)
					order by e.id)
				from alert_events e
				where e.alert_id = ${complaintActions.id}
					and e.kind in ('acknowledged', 'assigned', 'note', 'resolved')
					and e.actor <> 'system'
					and e.id > coalesce((
						select max((ce.detail->>'alertEventId')::bigint)
						from complaint_events ce
						where ce.complaint_id = ${complaintActions.complaintId} and ce.kind = 'outcome'
							and ce.detail->>'actionId' = ${complaintActions.id}::text), 0))`
		})
		.from(complaintActions)
		.leftJoin(alerts, eq(alerts.id, complaintActions.id))
		.leftJoin(sites, eq(sites.code, complaintActions.siteCode))
		.where(isNull(complaintActions.settledAt));
	return rows as PendingAction[];
}

export async function markActionSeen(
	tx: Db,
	id: string,
	params: { seenStatus: 'open' | 'acknowledged' | 'resolved'; settledAt: Date | null }
): Promise<void> {
	await tx.update(complaintActions).set(params).where(eq(complaintActions.id, id));
}

/** How many of these complaints are still waiting for an answer (new, triaged, assigned). */
export async function countOpenComplaints(db: Db, ids: string[]): Promise<number> {
	if (ids.length === 0) return 0;
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(complaints)
		.where(and(inArray(complaints.id, ids), inArray(complaints.status, OPEN)));
	return Number(row?.n ?? 0);
}

/**
 * The complaints a hand-off speaks for: the one it came from, those that joined it, and
 * those in its incident. `actionId` null: a request about to be raised.
 */
export async function complaintIdsOfAction(
	db: Db,
	action: { id: string | null; complaintId: string; incidentId: string | null }
): Promise<string[]> {
	const members = action.id
		? await db
				.select({ id: complaintActionMembers.complaintId })
				.from(complaintActionMembers)
				.where(eq(complaintActionMembers.actionId, action.id))
		: [];
	const inIncident = action.incidentId
		? await db
				.select({ id: complaints.id })
				.from(complaints)
				.where(eq(complaints.incidentId, action.incidentId))
		: [];
	return [
		...new Set([action.complaintId, ...members.map((r) => r.id), ...inIncident.map((r) => r.id)])
	];
}

// ---- the live context of a site -----------------------------------------------------------------

/** What the help desk needs about a site while a caller is on the line (beyond the live feed). */
export async function siteContext(
	db: Db,
	params: { code: string; day: string; dayStart: Date; dayEnd: Date }
) {
	const [site] = await db
		.select({
			code: sites.code,
			name: sites.name,
			districtCode: sites.districtCode,
			districtName: districts.name,
			pincode: sites.pincode,
			mode: sites.mode,
			modeChangedAt: sites.modeChangedAt
		})
		.from(sites)
		.innerJoin(districts, eq(districts.code, sites.districtCode))
		.where(eq(sites.code, params.code));
	if (!site) return null;
	const [sessionRows, smsRows, reasonRows, complaintRows] = await Promise.all([
		db
			.select({
				id: sessions.id,
				capacity: sessions.capacity,
				vaccine: sessions.vaccine,
				startsAt: sessions.startsAt,
				endsAt: sessions.endsAt
			})
			.from(sessions)
			.where(and(eq(sessions.siteCode, params.code), eq(sessions.date, params.day)))
			.orderBy(asc(sessions.startsAt)),
		db
			.select({ status: smsMessages.status, kind: smsMessages.kind, n: sql<number>`count(*)::int` })
			.from(smsMessages)
			.where(
				and(
					eq(smsMessages.siteCode, params.code),
					gte(smsMessages.sentAt, params.dayStart),
					lt(smsMessages.sentAt, params.dayEnd)
				)
			)
			.groupBy(smsMessages.status, smsMessages.kind),
		db
			.select({
				reason: sql<string>`coalesce(nullif(${smsMessages.reason}, ''), ${smsMessages.errorCode}, ${smsMessages.status})`,
				n: sql<number>`count(*)::int`
			})
			.from(smsMessages)
			.where(
				and(
					eq(smsMessages.siteCode, params.code),
					gte(smsMessages.sentAt, params.dayStart),
					lt(smsMessages.sentAt, params.dayEnd),
					inArray(smsMessages.status, ['failed', 'undelivered', 'expired', 'rejected'])
				)
			)
			.groupBy(sql`1`)
			.orderBy(sql`2 desc`)
			.limit(3),
		db
			.select({ status: complaints.status, n: sql<number>`count(*)::int` })
			.from(complaints)
			.where(eq(complaints.siteCode, params.code))
			.groupBy(complaints.status)
	]);
	return {
		site,
		sessions: sessionRows,
		sms: smsRows.map((r) => ({ ...r, n: Number(r.n) })),
		smsReasons: reasonRows.map((r) => ({ reason: r.reason, n: Number(r.n) })),
		complaints: complaintRows.map((r) => ({ ...r, n: Number(r.n) }))
	};
}
