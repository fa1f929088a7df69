/**
 * The help desk's write path and detectors: complaints filed (form and other channels),
 * worked through their workflow, grouped into incidents, handed to officers as alerts;
 * complaint spikes raised as alerts. Every change is one transaction; the live feed and
 * the other nodes hear of it only after it commits.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { can, type Principal } from '../../src/lib/server/auth/policy';
import type { SessionUser } from '../../src/lib/server/auth/session';
import {
	actorOf,
	complaintScope,
	complaintView,
	inComplaintScope,
	readComplaint,
	readComplaints,
	readIncidents,
	readScope,
	slaMinutes
} from '../../src/lib/server/complaints';
import type { Config } from '../../src/lib/server/config';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	addActionMember,
	appendAlertEvent,
	complaintById,
	complaintIdsOfAction,
	complaintsByIds,
	complaintsForSpikes,
	countOpenComplaints,
	incidentById,
	insertAction,
	insertComplaintAlert,
	insertComplaintEvents,
	insertComplaints,
	insertIncident,
	knownDistricts,
	lockComplaintDetectors,
	lockComplaints,
	markActionSeen,
	pendingActionFor,
	resolveComplaintAlert,
	siteContext,
	siteDistricts,
	spikeAlerts,
	unsettledActions,
	updateComplaint,
	updateSpikeAlert,
	type NewComplaint,
	type NewComplaintEvent,
	type SitePlace,
	type SpikeDetail
} from '../../src/lib/server/db/queries/complaint';
import { appendAudit } from '../../src/lib/server/db/queries/audit';
import {
	markReplayed,
	markReplayFailed,
	pendingQuarantine,
	quarantineItems
} from '../../src/lib/server/db/queries/quarantine';
import { findUserByUsername } from '../../src/lib/server/db/queries/user';
import {
	actionLabels,
	categoryLabels,
	COMPLAINT_QUARANTINE,
	COMPLAINT_SPIKE,
	effectivePriority,
	HELPDESK_ACTION,
	isOpenStatus,
	slaDueAt,
	type ComplaintActionKind,
	type ComplaintFilter,
	type ComplaintView,
	type SiteContextView
} from '../../src/lib/shared/complaint';
import type { IngestResult } from '../../src/lib/shared/feeds';
import { HEALTH_INCIDENT } from '../../src/lib/shared/health';
import type { AlertLive } from '../../src/lib/shared/live';
import { localClock, zonedTime } from '../../src/lib/shared/time';
import { ChangeBuilder, type LiveChange } from '../live/change';
import type { LiveState } from '../live/state';
import type { Logger } from '../log';
import { parseComplaints } from './parse';
import { decideSpikes, type SpikeRule } from './spike';
import { decideUpdate, type ComplaintPatch } from './workflow';

/** A refusal the API passes on as it is (status and words). */
export class ComplaintError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 409 | 422,
		message: string
	) {
		super(message);
	}
}

export interface ComplaintServiceDeps {
	config: Config;
	handle: DbHandle;
	live: LiveState;
	log: Logger;
	/** Makes a committed change live (this node, and the others when there are several). */
	publish(change: LiveChange): void;
	/** Sends changed complaints to the people who work them (the socket). */
	emit?(changed: ComplaintView[]): void;
	now?: () => Date;
}

export interface CreateResult extends IngestResult {
	/** Per accepted or duplicate item: its index in the body and the complaint's id. */
	complaints: { index: number; id: string; outcome: 'accepted' | 'duplicate' }[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new complaint id, easy to read out on the phone: 'C-7KX2M9QD'. */
export function newComplaintId(): string {
	const bytes = randomBytes(8);
	let id = 'C-';
	for (const b of bytes) id += CROCKFORD[b % 32];
	return id;
}

const forbidden = (what: string) => new ComplaintError(403, `forbidden: ${what}`);
const notFound = (id: string) => new ComplaintError(404, `no such complaint: ${id}`);

export class ComplaintService {
	readonly rule: SpikeRule;
	private readonly now: () => Date;
	private readonly sla;
	private spikePass: Promise<void> | null = null;
	private spikeAgain = false;
	private actionPass: Promise<void> | null = null;

	constructor(private readonly deps: ComplaintServiceDeps) {
		this.now = deps.now ?? (() => new Date());
		this.sla = slaMinutes(deps.config);
		this.rule = {
			count: deps.config.COMPLAINT_SPIKE_COUNT,
			windowMs: deps.config.COMPLAINT_SPIKE_MINUTES * 60_000
		};
	}

	private get db(): Db {
		return this.deps.handle.db;
	}

	private async transaction<T>(run: (tx: Db) => Promise<T>): Promise<T> {
		return this.db.transaction((tx) => run(tx as unknown as Db));
	}

	/** Read the changed complaints again (with their site, incident and action) and send them. */
	private async announce(ids: string[]): Promise<void> {
		if (!this.deps.emit || ids.length === 0) return;
		const rows = await complaintsByIds(this.db, [...new Set(ids)]);
		const nowMs = this.now().getTime();
		this.deps.emit(rows.map((r) => complaintView(r, null, nowMs)));
	}

	/** Announce without making the caller wait or fail: the change is committed already. */
	private announceLater(ids: string[]): void {
		this.announce(ids).catch((err) =>
			this.deps.log.error({ err }, 'complaint change committed but not sent live')
		);
	}

	// ---- filing -------------------------------------------------------------------------------

	/**
	 * File the complaints in a request body. Each item is accepted, a duplicate (its id is
	 * held already) or rejected with its reason; rejected items are quarantined with the
	 * accepted ones' transaction. A body that is not JSON throws a BodyError.
	 */
	async create(
		principal: Principal,
		text: string,
		opts: { quarantine: boolean } = { quarantine: true }
	): Promise<CreateResult> {
		const now = this.now();
		const parsed = parseComplaints(text, now);
		const scope = complaintScope(principal, 'complaint.create');
		const actor = actorOf(principal);
		const values = parsed.items.map((i) => i.value);
		const [sites, districts] = await Promise.all([
			siteDistricts(
				this.db,
				values.flatMap((v) => (v.siteCode ? [v.siteCode] : []))
			),
			knownDistricts(
				this.db,
				values.flatMap((v) => (v.districtCode ? [v.districtCode] : []))
			)
		]);

		const rejected: { index: number; error: string; raw: unknown }[] = [...parsed.rejected];
		const rows: { index: number; row: NewComplaint; askedPriority: string | null }[] = [];
		for (const { index, value: v, raw } of parsed.items) {
			const site = v.siteCode ? sites.get(v.siteCode) : undefined;
			const reject = (error: string) => rejected.push({ index, error, raw });
			if (v.siteCode && !site) {
				reject('unknown site');
				continue;
			}
			if (site && v.districtCode && v.districtCode !== site.districtCode) {
				reject(
					`districtCode: ${v.districtCode} does not match site ${v.siteCode}, which is in district ${site.districtCode}`
				);
				continue;
			}
			if (!site && v.districtCode && !districts.has(v.districtCode)) {
				reject('unknown district');
				continue;
			}
			const districtCode = site?.districtCode ?? v.districtCode;
			if (!inComplaintScope(scope, districtCode)) {
				reject(
					districtCode
						? `forbidden: district ${districtCode} is not one of yours`
						: 'forbidden: name a site or district in your districts'
				);
				continue;
			}
			const openedAt = v.at ?? now;
			const priority = effectivePriority(v.category, v.priority);
			rows.push({
				index,
				askedPriority: v.priority,
				row: {
					id: v.id ?? newComplaintId(),
					openedAt,
					receivedAt: now,
					channel: v.channel,
					category: v.category,
					siteCode: v.siteCode,
					districtCode,
					callerPhone: v.callerPhone,
					notes: v.notes,
					priority,
					slaDueAt: slaDueAt(openedAt, priority, this.sla),
					createdBy: actor
				}
			});
		}

		// The same id twice in one body: the first is filed, the second is its duplicate.
		const unique = new Map<string, NewComplaint>();
		for (const { row } of rows) if (!unique.has(row.id)) unique.set(row.id, row);

		const inserted = await this.transaction(async (tx) => {
			const ids = await insertComplaints(tx, [...unique.values()]);
			const events: NewComplaintEvent[] = [];
			for (const { row, askedPriority } of rows) {
				if (!ids.has(row.id) || unique.get(row.id) !== row) continue;
				events.push({
					complaintId: row.id,
					at: now,
					actor,
					kind: 'created',
					toStatus: 'new',
					note:
						row.category === 'aefi' && askedPriority && askedPriority !== 'urgent'
							? `Filed as urgent, not ${askedPriority}: an adverse event is always urgent`
							: null,
					detail: {
						channel: row.channel,
						category: row.category,
						priority: row.priority,
						slaDueAt: row.slaDueAt.toISOString()
					}
				});
			}
			await insertComplaintEvents(tx, events);
			if (opts.quarantine) {
				await quarantineItems(
					tx,
					rejected.map((r) => ({ feed: COMPLAINT_QUARANTINE, error: r.error, item: r.raw }))
				);
			}
			return ids;
		});

		const result: CreateResult = {
			accepted: 0,
			duplicates: 0,
			rejected: rejected
				.map((r) => ({ index: r.index, error: r.error }))
				.sort((a, b) => a.index - b.index),
			complaints: []
		};
		const claimed = new Set<string>();
		for (const { index, row } of rows) {
			const fresh = inserted.has(row.id) && !claimed.has(row.id);
			if (fresh) claimed.add(row.id);
			result.complaints.push({ index, id: row.id, outcome: fresh ? 'accepted' : 'duplicate' });
			if (fresh) result.accepted++;
			else result.duplicates++;
		}
		if (inserted.size > 0) {
			this.announceLater([...inserted]);
			this.checkSpikesSoon();
		}
		return result;
	}

	/**
	 * File the quarantined complaint items again, as `principal` (for example once their site
	 * exists): one filed (or found filed already) is marked replayed; one refused again stays,
	 * with the new reason and an attempt counted.
	 */
	async replayQuarantined(
		principal: Principal
	): Promise<{ replayed: number; stillRejected: number }> {
		const report = { replayed: 0, stillRejected: 0 };
		let afterId: number | undefined;
		for (;;) {
			const page = await pendingQuarantine(this.db, {
				feed: COMPLAINT_QUARANTINE,
				afterId,
				limit: 200
			});
			if (page.length === 0) break;
			for (const entry of page) {
				afterId = entry.id;
				const result = await this.create(principal, JSON.stringify([entry.item]), {
					quarantine: false
				});
				const error = result.rejected[0]?.error ?? null;
				if (error === null) {
					await markReplayed(this.db, entry.id, this.now());
					report.replayed++;
				} else {
					await markReplayFailed(this.db, entry.id, error);
					report.stillRejected++;
				}
			}
		}
		return report;
	}

	// ---- reading (refusals are ComplaintReadErrors) ------------------------------------------

	private readScope(principal: Principal) {
		return readScope(principal);
	}

	list(principal: Principal, filter: ComplaintFilter, limit: number) {
		return readComplaints(this.db, principal, filter, limit, this.now().getTime());
	}

	get(principal: Principal, id: string) {
		return readComplaint(this.db, principal, id, this.now().getTime());
	}

	incidents(principal: Principal) {
		return readIncidents(this.db, principal);
	}

	// ---- working a complaint ----------------------------------------------------------------

	/** Check that `username` may be given a complaint in `districtCode`. */
	private async assignable(tx: Db, username: string, districtCode: string | null): Promise<void> {
		const row = await findUserByUsername(tx, { username });
		if (!row || row.disabledAt)
			throw new ComplaintError(422, `assignee: no active person called ${username}`);
		const user: SessionUser = {
			id: row.id,
			username: row.username,
			displayName: row.displayName ?? row.username,
			role: row.role,
			districts: row.districts
		};
		const p: Principal = { kind: 'user', user };
		const ok = districtCode
			? can(p, 'complaint.update', { districtCode })
			: can(p, 'complaint.update');
		if (!ok) {
			throw new ComplaintError(
				422,
				`assignee: ${username} does not work complaints ${districtCode ? `in district ${districtCode}` : 'without a district'}`
			);
		}
	}

	async update(
		principal: Principal,
		id: string,
		patch: Omit<ComplaintPatch, 'site'> & { siteCode?: string | null },
		ip: string | null = null
	): Promise<ComplaintView> {
		const scope = this.readScope(principal);
		const now = this.now();
		const actor = actorOf(principal);
		await this.transaction(async (tx) => {
			const [row] = await lockComplaints(tx, [id]);
			if (!row || !inComplaintScope(scope, row.districtCode)) throw notFound(id);
			let site: ComplaintPatch['site'];
			if (patch.siteCode !== undefined) {
				if (patch.siteCode === null) site = null;
				else {
					const found = (await siteDistricts(tx, [patch.siteCode])).get(patch.siteCode);
					if (!found) throw new ComplaintError(422, `siteCode: unknown site ${patch.siteCode}`);
					if (!inComplaintScope(scope, found.districtCode))
						throw forbidden(`district ${found.districtCode} is not one of yours`);
					site = { code: patch.siteCode, districtCode: found.districtCode };
				}
			}
			const decision = decideUpdate(row, { ...patch, site }, this.sla, now);
			if (!decision.ok) throw new ComplaintError(decision.status, decision.error);
			const { changes, events } = decision;
			if (changes.assignee) {
				await this.assignable(tx, changes.assignee, changes.districtCode ?? row.districtCode);
			}
			await updateComplaint(tx, id, changes, now);
			await insertComplaintEvents(
				tx,
				events.map((e) => ({ ...e, complaintId: id, at: now, actor }))
			);
			// Notes stay in the complaint's history: they may name people.
			const { resolvedAt: _r, closedAt: _c, slaDueAt: _s, ...changed } = changes;
			await appendAudit(tx, {
				actor,
				action: 'complaint.update',
				target: id,
				detail: { from: row.status, ...changed, note: !!patch.note?.trim() },
				ip
			});
		});
		const row = await complaintById(this.db, id);
		if (!row) throw notFound(id);
		this.announceLater([id]);
		return complaintView(row, principal, now.getTime());
	}

	/**
	 * Put many complaints into one incident (a new one named `title`, or `incidentId`), or
	 * take them out of theirs (`incidentId: null`). Each complaint is linked or refused alone.
	 */
	async link(
		principal: Principal,
		ids: string[],
		target: { incidentId: string | null } | { title: string },
		ip: string | null = null
	): Promise<{
		incident: { id: string; title: string } | null;
		linked: number;
		unchanged: number;
		rejected: { id: string; error: string }[];
	}> {
		const scope = this.readScope(principal);
		const now = this.now();
		const actor = actorOf(principal);
		const wanted = [...new Set(ids)];
		const result = await this.transaction(async (tx) => {
			let incident: { id: string; title: string } | null = null;
			if ('title' in target) {
				incident = await insertIncident(tx, { title: target.title, createdBy: actor, at: now });
			} else if (target.incidentId !== null) {
				incident = await incidentById(tx, target.incidentId);
				if (!incident) throw new ComplaintError(404, `no such incident: ${target.incidentId}`);
			}
			const locked = new Map((await lockComplaints(tx, wanted)).map((r) => [r.id, r]));
			const rejected: { id: string; error: string }[] = [];
			const changed: string[] = [];
			let unchanged = 0;
			const events: NewComplaintEvent[] = [];
			for (const id of wanted) {
				const row = locked.get(id);
				if (!row || !inComplaintScope(scope, row.districtCode)) {
					rejected.push({ id, error: 'no such complaint' });
					continue;
				}
				const to = incident?.id ?? null;
				if (row.incidentId === to) {
					unchanged++;
					continue;
				}
				await updateComplaint(tx, id, { incidentId: to }, now);
				events.push({
					complaintId: id,
					at: now,
					actor,
					kind: to ? 'linked' : 'unlinked',
					detail: { from: row.incidentId, to, title: incident?.title ?? null }
				});
				changed.push(id);
			}
			await insertComplaintEvents(tx, events);
			if (changed.length) {
				await appendAudit(tx, {
					actor,
					action: 'complaint.link',
					target: incident?.id ?? null,
					detail: { title: incident?.title ?? null, complaints: changed },
					ip
				});
			}
			return { incident, linked: changed.length, unchanged, rejected, changed };
		});
		this.announceLater(result.changed);
		return {
			incident: result.incident,
			linked: result.linked,
			unchanged: result.unchanged,
			rejected: result.rejected
		};
	}

	// ---- hand-off to an officer ----------------------------------------------------------------

	/**
	 * Ask an officer to act ("switch site X to manual", "resend SMS for site Y"): an alert
	 * of kind `helpdesk_action` in the officers' alert list. A request of the same kind for
	 * the same site still waiting is joined rather than raised twice.
	 */
	async raiseAction(
		principal: Principal,
		complaintId: string,
		input: { kind: ComplaintActionKind; note: string | null; siteCode?: string | null },
		ip: string | null = null
	): Promise<{ actionId: string; joined: boolean; complaint: ComplaintView }> {
		const scope = this.readScope(principal);
		const now = this.now();
		const actor = actorOf(principal);
		const published = new ChangeBuilder();
		const outcome = await this.transaction(async (tx) => {
			const [row] = await lockComplaints(tx, [complaintId]);
			if (!row || !inComplaintScope(scope, row.districtCode)) throw notFound(complaintId);
			if (row.status === 'closed') throw new ComplaintError(422, 'the complaint is closed');
			const siteCode = input.siteCode ?? row.siteCode;
			if (!siteCode && input.kind !== 'other') {
				throw new ComplaintError(422, 'siteCode: name the site the officer should act on');
			}
			if (input.kind === 'other' && !input.note) {
				throw new ComplaintError(422, 'note: say what the officer should do');
			}
			let site: SitePlace | undefined;
			if (siteCode) {
				site = (await siteDistricts(tx, [siteCode])).get(siteCode);
				if (!site) throw new ComplaintError(422, `siteCode: unknown site ${siteCode}`);
				if (!inComplaintScope(scope, site.districtCode))
					throw forbidden(`district ${site.districtCode} is not one of yours`);
			}
			if (input.kind === 'switch_manual' && site?.mode === 'manual') {
				const since = site.modeChangedAt
					? ` (since ${localClock(site.modeChangedAt, this.deps.config.APP_TIMEZONE)})`
					: '';
				throw new ComplaintError(409, `site ${siteCode} is on manual registration already${since}`);
			}
			const existing = await pendingActionFor(tx, {
				kind: input.kind,
				siteCode: siteCode ?? null,
				complaintId
			});
			if (existing) await addActionMember(tx, existing.id, complaintId);
			const speaksFor = await complaintIdsOfAction(tx, {
				id: existing?.id ?? null,
				complaintId,
				incidentId: row.incidentId
			});
			const actionId = existing?.id ?? randomUUID();
			if (!existing) {
				const place = site ? `${site.name} (${siteCode})` : 'no site named';
				const what =
					input.kind === 'switch_manual'
						? `switch ${place} to manual registration`
						: input.kind === 'resend_sms'
							? `resend the SMS for ${place}`
							: `${input.note} — ${place}`;
				const count = speaksFor.length;
				const summary = `Help desk asks: ${what} (${count} complaint${count === 1 ? '' : 's'})`;
				const alert = await insertComplaintAlert(tx, {
					id: actionId,
					kind: HELPDESK_ACTION,
					openedAt: now,
					districtCode: site?.districtCode ?? row.districtCode,
					siteCode: siteCode ?? null,
					summary,
					detail: {
						action: input.kind,
						complaintId,
						incidentId: row.incidentId,
						complaints: count,
						note: input.note,
						requestedBy: actor
					}
				});
				await insertAction(tx, {
					id: actionId,
					complaintId,
					incidentId: row.incidentId,
					kind: input.kind,
					siteCode: siteCode ?? null,
					districtCode: site?.districtCode ?? row.districtCode,
					note: input.note,
					requestedBy: actor,
					requestedAt: now
				});
				await appendAlertEvent(tx, {
					alertId: actionId,
					at: now,
					kind: 'opened',
					actor,
					text: input.note ?? actionLabels[input.kind]
				});
				published.alert(
					toAlertLive({ ...alert, kind: HELPDESK_ACTION, siteCode: siteCode ?? null })
				);
			}
			await insertComplaintEvents(
				tx,
				(existing ? [complaintId] : speaksFor).map((id) => ({
					complaintId: id,
					at: now,
					actor,
					kind: 'action' as const,
					note: input.note,
					detail: {
						actionId,
						action: input.kind,
						siteCode: siteCode ?? null,
						joined: !!existing,
						label: actionLabels[input.kind]
					}
				}))
			);
			await appendAudit(tx, {
				actor,
				action: 'complaint.action',
				target: complaintId,
				detail: { actionId, action: input.kind, siteCode: siteCode ?? null, joined: !!existing },
				ip
			});
			return { actionId, joined: !!existing, speaksFor };
		});
		const change = published.take();
		if (change) this.deps.publish(change);
		this.announceLater(outcome.speaksFor);
		const row = await complaintById(this.db, complaintId);
		if (!row) throw notFound(complaintId);
		return {
			actionId: outcome.actionId,
			joined: outcome.joined,
			complaint: complaintView(row, principal, now.getTime())
		};
	}

	// ---- the live context of a site ------------------------------------------------------------

	async context(principal: Principal, siteCode: string): Promise<SiteContextView> {
		const now = this.now();
		const { live, config } = this.deps;
		const { day, start, end } = live.dayBounds(now);
		const found = await siteContext(this.db, { code: siteCode, day, dayStart: start, dayEnd: end });
		const scope = complaintScope(principal, 'complaint.create') ?? this.readScope(principal);
		if (!found || !inComplaintScope(scope, found.site.districtCode)) {
			throw new ComplaintError(404, `no such site: ${siteCode}`);
		}
		const view = live.siteView(siteCode);
		const count = (pick: (r: { status: string; kind: string }) => boolean) =>
			found.sms.filter(pick).reduce((n, r) => n + r.n, 0);
		const failedStatuses = new Set(['failed', 'undelivered', 'expired', 'rejected']);
		const alerts: SiteContextView['alerts'] = [];
		for (const id of live.alertIds()) {
			const a = live.alertView(id);
			if (!a) continue;
			const relevant =
				a.siteCode === siteCode ||
				(!a.siteCode && a.districtCode === found.site.districtCode) ||
				a.kind === HEALTH_INCIDENT;
			if (relevant)
				alerts.push({
					id: a.id,
					kind: a.kind,
					status: a.status,
					openedAt: a.openedAt,
					summary: a.summary
				});
		}
		alerts.sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt));
		const defaultStart = zonedTime(day, '09:00', config.APP_TIMEZONE);
		const defaultEnd = zonedTime(day, '17:00', config.APP_TIMEZONE);
		return {
			at: now.toISOString(),
			site: {
				code: found.site.code,
				name: found.site.name,
				districtCode: found.site.districtCode,
				districtName: found.site.districtName,
				pincode: found.site.pincode,
				mode: found.site.mode,
				modeChangedAt: found.site.modeChangedAt?.toISOString() ?? null,
				status: view?.status ?? null,
				cause: live.siteCause(siteCode),
				dosesToday: view?.dosesToday ?? 0,
				lastDoseAt: view?.lastDoseAt ?? null,
				lastHeartbeatAt: view?.lastHeartbeatAt ?? null
			},
			sessions: found.sessions.map((s) => ({
				startsAt: (s.startsAt ?? defaultStart).toISOString(),
				endsAt: (s.endsAt ?? defaultEnd).toISOString(),
				capacity: s.capacity,
				vaccine: s.vaccine
			})),
			sms: {
				sent: count(() => true),
				delivered: count((r) => r.status === 'delivered'),
				failed: count((r) => failedStatuses.has(r.status)),
				pending: count((r) => r.status === 'queued' || r.status === 'sent'),
				otpSent: count((r) => r.kind === 'otp'),
				otpFailed: count((r) => r.kind === 'otp' && failedStatuses.has(r.status)),
				reasons: found.smsReasons
			},
			alerts,
			complaints: {
				open: found.complaints.filter((c) => isOpenStatus(c.status)).reduce((n, c) => n + c.n, 0),
				total: found.complaints.reduce((n, c) => n + c.n, 0)
			}
		};
	}

	// ---- detectors --------------------------------------------------------------------------------

	/** Look for spikes now; passes never overlap (a request during one runs one more after it). */
	checkSpikes(): Promise<void> {
		if (this.spikePass) {
			this.spikeAgain = true;
			return this.spikePass;
		}
		this.spikePass = (async () => {
			try {
				do {
					this.spikeAgain = false;
					await this.spikeOnce();
				} while (this.spikeAgain);
			} finally {
				this.spikePass = null;
			}
		})();
		return this.spikePass;
	}

	private checkSpikesSoon(): void {
		this.checkSpikes().catch((err) =>
			this.deps.log.error({ err }, 'complaint spike check failed; will retry')
		);
	}

	private async spikeOnce(): Promise<void> {
		const now = this.now();
		const nowMs = now.getTime();
		const { rule } = this;
		const windowMinutes = Math.round(rule.windowMs / 60_000);
		const change = new ChangeBuilder();
		await this.transaction(async (tx) => {
			await lockComplaintDetectors(tx);
			const since = new Date(nowMs - rule.windowMs);
			const alerts = await spikeAlerts(tx, since);
			const complaints = await complaintsForSpikes(tx, {
				from: since,
				to: new Date(nowMs + 1)
			});
			const open = alerts.filter((a) => a.status !== 'resolved' && a.districtCode);
			const decisions = decideSpikes(
				complaints.map((c) => ({
					category: c.category,
					districtCode: c.districtCode!,
					atMs: Number(c.atMs)
				})),
				open.map((a) => ({
					id: a.id,
					category: a.detail.category,
					districtCode: a.districtCode!,
					count: a.detail.count
				})),
				alerts
					.filter((a) => a.status === 'resolved' && a.closedAt && a.districtCode)
					.map((a) => ({
						category: a.detail.category,
						districtCode: a.districtCode!,
						closedAtMs: a.closedAt!.getTime()
					})),
				rule,
				nowMs
			);
			const byId = new Map(alerts.map((a) => [a.id, a]));
			for (const d of decisions) {
				if (d.kind === 'open') {
					const detail: SpikeDetail = {
						category: d.category,
						count: d.count,
						windowMinutes,
						firstAt: new Date(d.firstAtMs).toISOString(),
						lastAt: new Date(d.lastAtMs).toISOString()
					};
					const summary = this.spikeSummary(d.category, d.districtCode, d.count, windowMinutes);
					const row = await insertComplaintAlert(tx, {
						kind: COMPLAINT_SPIKE,
						openedAt: new Date(d.atMs),
						districtCode: d.districtCode,
						siteCode: null,
						summary,
						detail: { ...detail }
					});
					await appendAlertEvent(tx, {
						alertId: row.id,
						at: now,
						kind: 'opened',
						actor: 'system',
						text: summary
					});
					change.alert(toAlertLive({ ...row, kind: COMPLAINT_SPIKE, siteCode: null }));
					this.deps.log.warn({ alert: row.id, summary }, 'complaint spike');
				} else if (d.kind === 'grow') {
					const held = byId.get(d.id)!;
					const detail: SpikeDetail = {
						...held.detail,
						count: d.count,
						lastAt: new Date(d.lastAtMs).toISOString()
					};
					const summary = this.spikeSummary(
						held.detail.category,
						held.districtCode!,
						d.count,
						windowMinutes
					);
					const row = await updateSpikeAlert(tx, d.id, { summary, detail });
					if (row) change.alert(toAlertLive({ ...row, kind: COMPLAINT_SPIKE, siteCode: null }));
				} else {
					const held = byId.get(d.id)!;
					const reason = `${d.count} in the last ${windowMinutes} min`;
					const closed = await resolveComplaintAlert(tx, d.id, {
						closedAt: now,
						detail: { ...held.detail, closedReason: reason }
					});
					if (closed) {
						await appendAlertEvent(tx, {
							alertId: d.id,
							at: now,
							kind: 'resolved',
							actor: 'system',
							text: `Complaints back to normal: ${reason}`
						});
						change.alertClosed(d.id);
					}
				}
			}
		});
		const taken = change.take();
		if (taken) this.deps.publish(taken);
	}

	private spikeSummary(
		category: keyof typeof categoryLabels,
		districtCode: string,
		count: number,
		windowMinutes: number
	): string {
		const district = this.deps.live.districtView(districtCode)?.name ?? districtCode;
		return `${count} complaints of ${categoryLabels[category]} from ${district} in ${windowMinutes} min`;
	}

	/**
	 * Tell complaints what became of the requests they handed to officers: what officers
	 * did on the alert (acknowledged, assigned, noted, resolved, in their words), the site
	 * switched to manual (which does the request and resolves it), or every complaint of the
	 * request answered (which makes it moot and resolves it). Each line is written once.
	 */
	checkActions(): Promise<void> {
		this.actionPass ??= this.actionsOnce().finally(() => {
			this.actionPass = null;
		});
		return this.actionPass;
	}

	private async actionsOnce(): Promise<void> {
		const now = this.now();
		const tz = this.deps.config.APP_TIMEZONE;
		const change = new ChangeBuilder();
		const touched = await this.transaction(async (tx) => {
			await lockComplaintDetectors(tx);
			const touched: string[] = [];
			for (const a of await unsettledActions(tx)) {
				const lines: { note: string; alertEventId?: number }[] = [];
				let seen = a.alertStatus ?? a.seenStatus;
				let settle = false;
				let resolveWith: string | null = null;

				for (const w of a.newWords ?? []) {
					const said = w.text ? `: ${w.text}` : '';
					const note =
						w.kind === 'acknowledged'
							? `Officer ${w.actor} acknowledged the request${said}`
							: w.kind === 'assigned'
								? `Officer ${w.actor} gave the request to ${w.text ?? 'someone'}`
								: w.kind === 'resolved'
									? `Officer ${w.actor} resolved the request${said}`
									: `Officer ${w.actor} noted${said}`;
					lines.push({ note, alertEventId: w.id });
				}
				const ids = await complaintIdsOfAction(tx, a);
				const switched =
					a.kind === 'switch_manual' &&
					a.siteMode === 'manual' &&
					a.modeChangedAt !== null &&
					a.modeChangedAt.getTime() >= a.requestedAt.getTime() - 60_000;
				if (switched) {
					resolveWith = `Site ${a.siteCode} switched to manual (paper) registration at ${localClock(a.modeChangedAt!, tz)}`;
				} else if (a.alertStatus === null) {
					lines.push({ note: 'The request to the officers was withdrawn' });
					settle = true;
				} else if (a.alertStatus === 'resolved') {
					if (!(a.newWords ?? []).some((w) => w.kind === 'resolved'))
						lines.push({ note: 'The request to the officers was resolved' });
					settle = true;
				} else if ((await countOpenComplaints(tx, ids)) === 0) {
					resolveWith = 'Request closed by the help desk: its complaints are answered';
				} else if (a.alertStatus === 'acknowledged' && a.seenStatus === 'open' && !lines.length) {
					lines.push({ note: 'Officers acknowledged the request' });
				}
				if (resolveWith) {
					lines.push({ note: resolveWith });
					settle = true;
					seen = 'resolved';
					const closed = await resolveComplaintAlert(tx, a.id, {
						closedAt: now,
						detail: { action: a.kind, complaintId: a.complaintId, outcome: resolveWith }
					});
					if (closed) {
						await appendAlertEvent(tx, {
							alertId: a.id,
							at: now,
							kind: 'resolved',
							actor: 'system',
							text: resolveWith
						});
						change.alertClosed(a.id);
					}
				}
				if (lines.length === 0 && seen === a.seenStatus) continue;
				// The newest officer event told, so the next pass starts after it.
				const lastEvent = Math.max(0, ...lines.map((l) => l.alertEventId ?? 0));
				await insertComplaintEvents(
					tx,
					ids.flatMap((id) =>
						lines.map((l, i) => ({
							complaintId: id,
							at: now,
							actor: 'system',
							kind: 'outcome' as const,
							note: l.note,
							detail: {
								actionId: a.id,
								action: a.kind,
								alertStatus: a.alertStatus,
								...(i === lines.length - 1 && lastEvent ? { alertEventId: lastEvent } : {})
							}
						}))
					)
				);
				await markActionSeen(tx, a.id, { seenStatus: seen, settledAt: settle ? now : null });
				touched.push(...ids);
			}
			return touched;
		});
		const taken = change.take();
		if (taken) this.deps.publish(taken);
		await this.announce(touched);
	}

	/**
	 * Run both detectors every COMPLAINT_CHECK_SECONDS, each pass rescheduled after the last
	 * ends and an error logged, not fatal. Returns how to stop. On several nodes, run it on
	 * the leader: passes are serialised by an advisory lock either way.
	 */
	startDetectors(): () => Promise<void> {
		const { log, config } = this.deps;
		let stopped = false;
		let timer: NodeJS.Timeout | undefined;
		let running: Promise<unknown> = Promise.resolve();
		const tick = () => {
			running = Promise.allSettled([
				this.checkSpikes().catch((err) =>
					log.error({ err }, 'complaint spike check failed; will retry')
				),
				this.checkActions().catch((err) =>
					log.error({ err }, 'complaint hand-off check failed; will retry')
				)
			]).finally(() => {
				if (!stopped) timer = setTimeout(tick, config.COMPLAINT_CHECK_SECONDS * 1000);
			});
		};
		timer = setTimeout(tick, config.COMPLAINT_CHECK_SECONDS * 1000);
		return async () => {
			stopped = true;
			clearTimeout(timer);
			await running;
			await this.spikePass?.catch(() => {
				// Reported by whoever started the pass.
			});
		};
	}
}

function toAlertLive(row: {
	id: string;
	kind: string;
	status: 'open' | 'acknowledged' | 'resolved';
	openedAt: Date;
	districtCode: string | null;
	siteCode: string | null;
	summary: string;
}): AlertLive {
	return {
		id: row.id,
		kind: row.kind,
		status: row.status === 'acknowledged' ? 'acknowledged' : 'open',
		openedAt: row.openedAt.toISOString(),
		districtCode: row.districtCode ?? undefined,
		siteCode: row.siteCode ?? undefined,
		summary: row.summary
	};
}
