/**
 * Officers' actions on stalled sites and their manual fallback, used by the API (and so by
 * the pages): switch sites to paper and back in one recorded action, report and reconcile a
 * paper register, bring paper records back in, and look after alerts. Each action is one
 * transaction (rows, audit entries, outbound messages together); the live picture follows
 * after the commit, on this node and the others.
 */
import type { Config } from '../../src/lib/server/config';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import {
	acknowledgeAlerts,
	addAlertEvents,
	alertEventsFor,
	getAlert,
	listAlertsForReview,
	openAlertsOfKinds,
	openChildAlerts,
	resolveAlerts,
	type AlertEventRow,
	type AlertRow
} from '../../src/lib/server/db/queries/alert';
import { appendAudit } from '../../src/lib/server/db/queries/audit';
import { insertDoses } from '../../src/lib/server/db/queries/dose';
import {
	accountedPaperDoses,
	backfillRowsOf,
	episodesForSummary,
	getBackfillUpload,
	getNotifications,
	heldDosesOf,
	insertBackfillRows,
	insertBackfillUpload,
	insertEpisodes,
	insertNotifications,
	listBackfillUploads,
	listNotifications,
	lockBackfill,
	lockSites,
	notificationsToRetry,
	openEpisodesOf,
	pendingNotifications,
	recordNotificationAttempt,
	sessionsOfSites,
	setSiteModes,
	stagesByDistrict,
	updateEpisode,
	type BackfillUploadRow,
	type EpisodeRow,
	type NotificationRow,
	type SwitchSiteRow
} from '../../src/lib/server/db/queries/fallback';
import { listDistricts } from '../../src/lib/server/db/queries/site';
import type { ManualPeriod } from '../../src/lib/server/db/schema';
import {
	reasonLabel,
	SITE_STALLED,
	type AlertView,
	type BackfillAnswer,
	type BackfillReport,
	type BackfillUploadView,
	type DistrictFallbackView,
	type FallbackEpisodeView,
	type FallbackSummary,
	type NotificationView,
	type SiteMode,
	type SiteSwitch,
	type SwitchAnswer
} from '../../src/lib/shared/fallback';
import { addDays, localClock, localDate, zonedTime } from '../../src/lib/shared/time';
import { ChangeBuilder, type LiveChange } from '../live/change';
import type { LiveState } from '../live/state';
import type { Logger } from '../log';
import { alertLive } from './alert-live';
import { commitWithChange, type ChangeSink } from './commit';
import { doseKey, parseRegister, type BackfillRow } from './csv';
import { StallDetector, startStallMonitor } from './detector';
import { createNotifier, type Notifier, type OutboundMessage } from './notifier';
import { estimatePaperDoses, paperDosesExpected } from './rules';

/** An action refused for a reason the caller can fix (answered with this HTTP status). */
export class FallbackError extends Error {
	constructor(
		readonly status: 400 | 404 | 409,
		message: string
	) {
		super(message);
	}
}

/** Who acts: a username or `token:<name>`, and from where. */
export interface Actor {
	name: string;
	ip?: string | null;
}

export interface FallbackDeps {
	config: Pick<
		Config,
		| 'APP_TIMEZONE'
		| 'STATUS_INTERVAL_SECONDS'
		| 'STALL_GROUP_MIN_SITES'
		| 'STALL_GROUP_SHARE'
		| 'NOTIFY_WEBHOOK_URL'
		| 'NOTIFY_TIMEOUT_MS'
	>;
	handle: DbHandle;
	live: LiveState;
	log: Logger;
	/** Makes a committed change live (this node, and the others when there are several). */
	publish(change: LiveChange): void;
	/** Where messages to sites go; by default from NOTIFY_WEBHOOK_URL (else the log). */
	notifier?: Notifier;
	now?: () => Date;
}

/** A failed message is tried again this often, this many times in all (then by hand). */
export const RETRY_AFTER_MS = 60_000;
export const MAX_ATTEMPTS = 3;
/** Reconciled fallbacks stay on the fallback page this long. */
const RECONCILED_SHOWN_MS = 7 * 24 * 3_600_000;
/** Resolved alerts stay on the alert list this long. */
const RESOLVED_SHOWN_MS = 24 * 3_600_000;
const DEFAULT_HOURS = { start: '09:00', end: '17:00' };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class FallbackService {
	private readonly deliveries = new Set<Promise<void>>();
	private readonly now: () => Date;
	private readonly sink: ChangeSink;
	private readonly notifier: Notifier;
	/** Raises, groups and resolves stall alerts (run on a timer by startDetectors). */
	readonly detector: StallDetector;

	constructor(private readonly deps: FallbackDeps) {
		this.now = deps.now ?? (() => new Date());
		this.sink = { handle: deps.handle, publish: deps.publish };
		this.notifier = deps.notifier ?? createNotifier(deps.config, deps.log);
		this.detector = new StallDetector({
			handle: deps.handle,
			live: deps.live,
			sink: this.sink,
			log: deps.log,
			now: this.now,
			rule: {
				groupMinSites: deps.config.STALL_GROUP_MIN_SITES,
				groupShare: deps.config.STALL_GROUP_SHARE
			}
		});
	}

	get notifierChannel(): string {
		return this.notifier.channel;
	}

	/**
	 * The stall alert check and the retry of failed messages, on a timer; returns how to
	 * stop it. Once per cluster: the caller runs it on the leader.
	 */
	startDetectors(): () => Promise<void> {
		const monitor = startStallMonitor({
			detector: this.detector,
			retry: () => this.retryDue(),
			intervalMs: this.deps.config.STATUS_INTERVAL_SECONDS * 1000,
			log: this.deps.log
		});
		return () => monitor.stop();
	}

	private get db(): Db {
		return this.deps.handle.db;
	}

	// ---- switching ---------------------------------------------------------------------

	/**
	 * Switch sites to paper or back, in one transaction: the mode, the fallback's stage, one
	 * audit entry per site, a message to each site; a site that goes to paper closes its
	 * stall alert. Sites already in that mode are left as they are (nothing recorded).
	 */
	async switchModes(
		actor: Actor,
		request: {
			siteCodes: string[];
			mode: SiteMode;
			reasonCode: string;
			reason: string;
			/** Switching back: the paper register's count, when the officer has it. */
			registerCount?: number | null;
		}
	): Promise<SwitchAnswer> {
		const codes = [...new Set(request.siteCodes)];
		if (codes.length === 0) throw new FallbackError(400, 'no sites to switch');
		const now = this.now();
		const { mode } = request;
		const result = await commitWithChange(this.sink, async (tx) => {
			const rows = await lockSites(tx, codes);
			const found = new Set(rows.map((r) => r.code));
			const unknown = codes.filter((c) => !found.has(c));
			if (unknown.length) throw new FallbackError(404, `unknown site: ${unknown.join(', ')}`);
			const changing = rows.filter((r) => r.mode !== mode);
			const change = new ChangeBuilder();
			if (changing.length === 0) return { value: { rows, changing, notes: [] }, change: null };

			await setSiteModes(
				tx,
				changing.map((r) => r.code),
				mode,
				now
			);
			await this.moveEpisodes(tx, changing, request, actor, now);
			if (mode === 'manual') {
				for (const id of await this.closeStallAlerts(tx, changing, actor, now))
					change.alertClosed(id);
			}
			const batch = changing.length > 1 ? crypto.randomUUID() : undefined;
			for (const site of changing) {
				change.mode(site.code, mode);
				await appendAudit(tx, {
					actor: actor.name,
					action: 'site.mode',
					target: site.code,
					ip: actor.ip ?? null,
					at: now,
					detail: {
						from: site.mode,
						to: mode,
						reasonCode: request.reasonCode,
						reason: request.reason,
						districtCode: site.districtCode,
						...(batch ? { batch, sites: changing.length } : {}),
						...(request.registerCount != null ? { registerCount: request.registerCount } : {})
					}
				});
			}
			const notes = await insertNotifications(
				tx,
				changing.map((site) => {
					const message = this.switchMessage(site, mode, request, actor, now);
					return {
						siteCode: site.code,
						districtCode: site.districtCode,
						kind: 'site_mode',
						body: message.text,
						payload: message.detail
					};
				})
			);
			return { value: { rows, changing, notes }, change: change.take() };
		});

		this.deliverInBackground(result.notes.map((n) => n.id));
		const changed = new Set(result.changing.map((r) => r.code));
		const sites: SiteSwitch[] = result.rows.map((r) => ({
			code: r.code,
			name: r.name,
			districtCode: r.districtCode,
			from: r.mode,
			to: mode,
			changed: changed.has(r.code)
		}));
		if (changed.size) {
			this.deps.log.info(
				{ actor: actor.name, mode, sites: [...changed], reason: request.reason },
				'sites switched'
			);
		}
		return {
			mode,
			changed: changed.size,
			unchanged: sites.length - changed.size,
			sites,
			notifications: result.notes.length
		};
	}

	/** The fallback of each site follows its mode: opened or resumed on paper, backfilling after. */
	private async moveEpisodes(
		tx: Db,
		sites: SwitchSiteRow[],
		request: { mode: SiteMode; reasonCode: string; reason: string; registerCount?: number | null },
		actor: Actor,
		now: Date
	): Promise<void> {
		const open = new Map(
			(
				await openEpisodesOf(
					tx,
					sites.map((s) => s.code)
				)
			).map((e) => [e.siteCode, e])
		);
		const at = now.toISOString();
		if (request.mode === 'manual') {
			const fresh = [];
			for (const site of sites) {
				const episode = open.get(site.code);
				if (episode) {
					// On paper again before it was reconciled: the same fallback, one more period.
					await updateEpisode(tx, episode.id, {
						stage: 'manual',
						periods: [...episode.periods, { from: at, to: null }]
					});
				} else {
					fresh.push({
						siteCode: site.code,
						districtCode: site.districtCode,
						stage: 'manual' as const,
						manualAt: now,
						manualBy: actor.name,
						reasonCode: request.reasonCode,
						reason: request.reason,
						periods: [{ from: at, to: null }]
					});
				}
			}
			await insertEpisodes(tx, fresh);
			return;
		}
		for (const site of sites) {
			const episode = open.get(site.code);
			if (!episode || episode.stage !== 'manual') continue;
			await updateEpisode(tx, episode.id, {
				stage: 'backfilling',
				periods: closePeriods(episode.periods, at),
				onlineAt: now,
				onlineBy: actor.name,
				...(request.registerCount != null ? { registerCount: request.registerCount } : {})
			});
		}
	}

	/** Stall alerts of sites that went to paper: the officer acted; they close. */
	private async closeStallAlerts(
		tx: Db,
		sites: SwitchSiteRow[],
		actor: Actor,
		now: Date
	): Promise<string[]> {
		const codes = new Set(sites.map((s) => s.code));
		const open = (await openAlertsOfKinds(tx, [SITE_STALLED])).filter(
			(a) => a.siteCode && codes.has(a.siteCode)
		);
		const closed = await resolveAlerts(
			tx,
			open.map((a) => a.id),
			now
		);
		await addAlertEvents(
			tx,
			closed.map((id) => ({
				alertId: id,
				kind: 'resolved' as const,
				actor: actor.name,
				text: 'switched to manual fallback',
				at: now
			}))
		);
		return closed;
	}

	private switchMessage(
		site: SwitchSiteRow,
		mode: SiteMode,
		request: { reasonCode: string; reason: string },
		actor: Actor,
		now: Date
	): OutboundMessage & { detail: Record<string, unknown> } {
		const at = localClock(now, this.deps.config.APP_TIMEZONE);
		const why =
			request.reason === reasonLabel(request.reasonCode)
				? request.reason
				: `${reasonLabel(request.reasonCode)}: ${request.reason}`;
		const text =
			mode === 'manual'
				? `Command centre, ${at}: ${site.name} (${site.code}) switch to PAPER now (${why}). ` +
					'Keep vaccinating and do not send people home. Write every dose in the paper register: ' +
					'beneficiary ID, time, vaccine, dose and vaccinator. Upload the register once the app works again.'
				: `Command centre, ${at}: ${site.name} (${site.code}) back ONLINE (${why}). ` +
					'Record new doses in the app. Keep the paper register: every dose written on paper must be ' +
					'uploaded before the second dose is due.';
		const detail = {
			mode,
			reasonCode: request.reasonCode,
			reason: request.reason,
			at: now.toISOString(),
			by: actor.name,
			siteCode: site.code,
			siteName: site.name,
			districtCode: site.districtCode
		};
		return {
			id: '',
			kind: 'site_mode',
			siteCode: site.code,
			siteName: site.name,
			districtCode: site.districtCode,
			text,
			detail
		};
	}

	// ---- the register ----------------------------------------------------------------

	/** The paper register's count of doses, as the officer reports it. */
	async reportRegister(actor: Actor, siteCode: string, registerCount: number): Promise<void> {
		await commitWithChange(this.sink, async (tx) => {
			const episode = (await openEpisodesOf(tx, [siteCode]))[0];
			if (!episode) throw new FallbackError(409, `site ${siteCode} has no fallback under way`);
			await updateEpisode(tx, episode.id, { registerCount });
			await appendAudit(tx, {
				actor: actor.name,
				action: 'site.register_count',
				target: siteCode,
				ip: actor.ip ?? null,
				detail: { episode: episode.id, registerCount, previous: episode.registerCount }
			});
			return { value: undefined, change: null };
		});
	}

	/**
	 * An officer confirms the paper doses in the record match the register: the fallback is
	 * over. Refused while the site is still on paper, or while the counts differ.
	 */
	async reconcile(
		actor: Actor,
		siteCode: string,
		registerCount: number
	): Promise<FallbackEpisodeView> {
		const now = this.now();
		const id = await commitWithChange(this.sink, async (tx) => {
			const episode = (await openEpisodesOf(tx, [siteCode]))[0];
			if (!episode) throw new FallbackError(409, `site ${siteCode} has no fallback to reconcile`);
			if (episode.stage === 'manual') {
				throw new FallbackError(
					409,
					`site ${siteCode} is still on paper: switch it back online before reconciling`
				);
			}
			const accounted =
				(await accountedPaperDoses(tx, [episode.id])).get(episode.id)?.accounted ?? 0;
			if (accounted !== registerCount) {
				throw new FallbackError(
					409,
					`the register counts ${registerCount} paper doses but ${accounted} are in the record: ` +
						`upload the missing rows (or check the count) before reconciling`
				);
			}
			await updateEpisode(tx, episode.id, {
				stage: 'reconciled',
				registerCount,
				reconciledAt: now,
				reconciledBy: actor.name
			});
			await appendAudit(tx, {
				actor: actor.name,
				action: 'site.reconcile',
				target: siteCode,
				ip: actor.ip ?? null,
				at: now,
				detail: { episode: episode.id, registerCount, accounted }
			});
			return { value: episode.id, change: null };
		});
		const view = (await this.episodeViews({ ids: [id] }))[0];
		return view;
	}

	// ---- backfill ----------------------------------------------------------------------

	/**
	 * Bring a paper register in. Rows whose beneficiary, dose and day are already held (or
	 * that repeat an earlier row of the file) are duplicates; the rest are written with their
	 * original times, through the same statement as live doses, so the hour and day they
	 * belong to count them. `dryRun` answers the same and writes nothing (the preview).
	 */
	async backfill(
		actor: Actor,
		siteCode: string,
		csv: string,
		options: { dryRun?: boolean; filename?: string | null } = {}
	): Promise<BackfillAnswer> {
		const now = this.now();
		const timeZone = this.deps.config.APP_TIMEZONE;
		const { rows, rejected } = parseRegister(csv, { siteCode, timeZone, now });
		const dryRun = options.dryRun ?? false;
		return commitWithChange(
			this.sink,
			async (tx) => {
				const site = (await lockSites(tx, [siteCode]))[0];
				if (!site) throw new FallbackError(404, `unknown site: ${siteCode}`);
				await lockBackfill(tx);
				const held = new Map<string, string>();
				for (const h of await heldDosesOf(tx, {
					beneficiaryRefs: rows.map((r) => r.record.beneficiaryRef),
					timeZone
				})) {
					if (h.dose !== null) held.set(doseKey(h.beneficiaryRef, h.dose, h.day), h.id);
				}
				const fresh: BackfillRow[] = [];
				const outcome = new Map<number, { kind: 'accepted' | 'duplicate'; doseId: string }>();
				for (const row of rows) {
					const holder = held.get(row.key);
					if (holder) outcome.set(row.line, { kind: 'duplicate', doseId: holder });
					else {
						held.set(row.key, row.record.id);
						fresh.push(row);
					}
				}
				const inserted = await insertDoses(
					tx,
					fresh.map((r) => r.record),
					timeZone
				);
				const change = new ChangeBuilder();
				for (const row of fresh) {
					// An id already held (given in the file, or a withdrawn paper dose) is not a new dose.
					const isNew = inserted.has(row.record.id);
					outcome.set(row.line, { kind: isNew ? 'accepted' : 'duplicate', doseId: row.record.id });
					if (isNew) {
						const atMs = row.record.occurredAt.getTime();
						change.dose(siteCode, atMs, 1).lastDoseAt(siteCode, atMs);
					}
				}
				const accepted = [...outcome.values()].filter((o) => o.kind === 'accepted').length;
				const answer: BackfillAnswer = {
					accepted,
					duplicates: rows.length - accepted,
					rejected: rejected.map((r) => ({ line: r.line, error: r.error })),
					duplicateLines: rows
						.filter((r) => outcome.get(r.line)?.kind === 'duplicate')
						.map((r) => r.line),
					rows: rows.length + rejected.length,
					dryRun,
					uploadId: null
				};
				if (dryRun) return { value: answer, change: null };

				const episode = (await openEpisodesOf(tx, [siteCode]))[0] ?? null;
				const upload = await insertBackfillUpload(tx, {
					siteCode,
					districtCode: site.districtCode,
					episodeId: episode?.id ?? null,
					at: now,
					actor: actor.name,
					filename: options.filename ?? null,
					rows: answer.rows,
					accepted: answer.accepted,
					duplicates: answer.duplicates,
					rejected: rejected.length
				});
				await insertBackfillRows(tx, [
					...rows.map((r) => ({
						uploadId: upload.id,
						line: r.line,
						outcome: outcome.get(r.line)!.kind,
						doseKey: r.key,
						doseId: outcome.get(r.line)!.doseId
					})),
					...rejected.map((r) => ({
						uploadId: upload.id,
						line: r.line,
						outcome: 'rejected' as const,
						error: r.error,
						raw: r.raw
					}))
				]);
				await appendAudit(tx, {
					actor: actor.name,
					action: 'site.backfill',
					target: siteCode,
					ip: actor.ip ?? null,
					at: now,
					detail: {
						upload: upload.id,
						filename: options.filename ?? null,
						episode: episode?.id ?? null,
						accepted: answer.accepted,
						duplicates: answer.duplicates,
						rejected: rejected.length
					}
				});
				return { value: { ...answer, uploadId: upload.id }, change: change.take() };
			},
			{ dryRun }
		);
	}

	async uploads(siteCode: string, limit = 50): Promise<BackfillUploadView[]> {
		return (await listBackfillUploads(this.db, { siteCode, limit })).map(uploadView);
	}

	async report(uploadId: string): Promise<BackfillReport | null> {
		const upload = await getBackfillUpload(this.db, uploadId);
		if (!upload) return null;
		const rows = await backfillRowsOf(this.db, { uploadId, outcomes: ['rejected', 'duplicate'] });
		return {
			...uploadView(upload),
			rejectedRows: rows
				.filter((r) => r.outcome === 'rejected')
				.map((r) => ({ line: r.line, error: r.error ?? '', raw: r.raw })),
			duplicateLines: rows.filter((r) => r.outcome === 'duplicate').map((r) => r.line)
		};
	}

	// ---- alerts --------------------------------------------------------------------------

	/** Open alerts and those resolved in the last day, each with its whole life. */
	async alerts(scope: { districts?: string[] }): Promise<AlertView[]> {
		const now = this.now();
		const rows = await listAlertsForReview(this.db, {
			resolvedSince: new Date(now.getTime() - RESOLVED_SHOWN_MS),
			districts: scope.districts,
			limit: 2000
		});
		const events = await alertEventsFor(
			this.db,
			rows.map((r) => r.id)
		);
		const byAlert = new Map<string, AlertEventRow[]>();
		for (const e of events) {
			const list = byAlert.get(e.alertId) ?? [];
			list.push(e);
			byAlert.set(e.alertId, list);
		}
		return rows.map((r) => alertView(r, byAlert.get(r.id) ?? []));
	}

	async alert(id: string): Promise<AlertView | null> {
		const row = await getAlert(this.db, id);
		if (!row) return null;
		return alertView(row, await alertEventsFor(this.db, [id]));
	}

	/** Acknowledge an alert; a parent takes its open children with it. */
	async acknowledge(actor: Actor, id: string): Promise<AlertView> {
		const now = this.now();
		await commitWithChange(this.sink, async (tx) => {
			const alert = await this.openAlert(tx, id);
			const children = await openChildAlerts(tx, [alert.id]);
			const acked = await acknowledgeAlerts(tx, [alert.id, ...children.map((c) => c.id)]);
			if (!acked.some((a) => a.id === alert.id) && alert.status !== 'acknowledged') {
				throw new FallbackError(409, 'this alert is no longer open');
			}
			await addAlertEvents(
				tx,
				acked.map((a) => ({
					alertId: a.id,
					kind: 'acknowledged' as const,
					actor: actor.name,
					text: a.id === alert.id ? null : 'with its group',
					at: now
				}))
			);
			await appendAudit(tx, {
				actor: actor.name,
				action: 'alert.acknowledge',
				target: alert.id,
				ip: actor.ip ?? null,
				at: now,
				detail: { kind: alert.kind, summary: alert.summary, withChildren: acked.length - 1 }
			});
			const change = new ChangeBuilder();
			for (const a of acked) change.alert(alertLive(a));
			return { value: undefined, change: change.take() };
		});
		return (await this.alert(id))!;
	}

	/** Hand an alert to a person (a username or a name); recorded in its life. */
	async assign(actor: Actor, id: string, assignee: string): Promise<AlertView> {
		const now = this.now();
		await commitWithChange(this.sink, async (tx) => {
			const alert = await this.openAlert(tx, id);
			await addAlertEvents(tx, [
				{ alertId: id, kind: 'assigned', actor: actor.name, text: assignee, at: now }
			]);
			await appendAudit(tx, {
				actor: actor.name,
				action: 'alert.assign',
				target: id,
				ip: actor.ip ?? null,
				at: now,
				detail: { kind: alert.kind, summary: alert.summary, assignee }
			});
			return { value: undefined, change: null };
		});
		return (await this.alert(id))!;
	}

	async note(actor: Actor, id: string, text: string): Promise<AlertView> {
		const now = this.now();
		await commitWithChange(this.sink, async (tx) => {
			if (!(await getAlert(tx, id))) throw new FallbackError(404, 'no such alert');
			await addAlertEvents(tx, [{ alertId: id, kind: 'note', actor: actor.name, text, at: now }]);
			return { value: undefined, change: null };
		});
		return (await this.alert(id))!;
	}

	private async openAlert(tx: Db, id: string): Promise<AlertRow> {
		const alert = await getAlert(tx, id);
		if (!alert) throw new FallbackError(404, 'no such alert');
		if (alert.status === 'resolved') throw new FallbackError(409, 'this alert is resolved');
		return alert;
	}

	// ---- messages to sites ---------------------------------------------------------------

	/** Send these messages now, recording each outcome. */
	async deliver(ids: string[]): Promise<void> {
		const rows = await getNotifications(this.db, ids);
		for (const row of rows) {
			if (row.status === 'sent') continue;
			const payload = row.payload as Record<string, unknown>;
			let error: string | null = null;
			try {
				await this.notifier.send({
					id: row.id,
					kind: row.kind,
					siteCode: row.siteCode,
					siteName: String(payload.siteName ?? row.siteCode),
					districtCode: row.districtCode,
					text: row.body,
					detail: payload
				});
			} catch (e) {
				error = (e as Error).message || String(e);
				this.deps.log.warn(
					{ notification: row.id, site: row.siteCode, err: e },
					'message to site not delivered'
				);
			}
			await recordNotificationAttempt(this.db, row.id, {
				channel: this.notifier.channel,
				at: this.now(),
				error
			});
		}
	}

	/** A failed message, tried again by hand. */
	async retry(id: string): Promise<NotificationView> {
		const [row] = await getNotifications(this.db, [id]);
		if (!row) throw new FallbackError(404, 'no such message');
		if (row.status === 'sent') throw new FallbackError(409, 'this message was delivered');
		await this.deliver([id]);
		const [after] = await getNotifications(this.db, [id]);
		return notificationView(after);
	}

	/** Failed messages due another automatic try, and any left pending by a stopped process. */
	async retryDue(): Promise<void> {
		const now = this.now();
		const ids = [
			...(await notificationsToRetry(this.db, {
				before: new Date(now.getTime() - RETRY_AFTER_MS),
				maxAttempts: MAX_ATTEMPTS,
				limit: 200
			})),
			...(await pendingNotifications(this.db, {
				before: new Date(now.getTime() - RETRY_AFTER_MS),
				limit: 200
			}))
		];
		if (ids.length) await this.deliver(ids);
	}

	async notificationDistrict(id: string): Promise<string | null> {
		const [row] = await getNotifications(this.db, [id]);
		return row?.districtCode ?? null;
	}

	private deliverInBackground(ids: string[]): void {
		if (ids.length === 0) return;
		const run: Promise<void> = this.deliver(ids)
			.catch((err) => this.deps.log.error({ err }, 'messages to sites could not be recorded'))
			.finally(() => this.deliveries.delete(run));
		this.deliveries.add(run);
	}

	/** Resolves when no message is being sent (tests; shutting down). */
	async settled(): Promise<void> {
		while (this.deliveries.size) await Promise.all([...this.deliveries]);
	}

	// ---- the fallback picture ------------------------------------------------------------

	async summary(scope: { districts?: string[] }): Promise<FallbackSummary> {
		const now = this.now();
		const [districts, stages, episodes, notes] = await Promise.all([
			listDistricts(this.db),
			stagesByDistrict(this.db),
			this.episodeViews({
				districts: scope.districts,
				reconciledSince: new Date(now.getTime() - RECONCILED_SHOWN_MS)
			}),
			listNotifications(this.db, { districts: scope.districts, limit: 100 })
		]);
		const inScope = (code: string) => !scope.districts || scope.districts.includes(code);
		const views = new Map<string, DistrictFallbackView>();
		for (const d of districts) {
			if (!inScope(d.code)) continue;
			views.set(d.code, {
				code: d.code,
				name: d.name,
				sites: 0,
				online: 0,
				manual: 0,
				backfilling: 0,
				reconciled: 0,
				paperExpected: 0
			});
		}
		for (const s of stages) {
			const view = views.get(s.districtCode);
			if (!view) continue;
			view.sites += s.sites;
			const stage = (s.stage ?? 'online') as 'online' | 'manual' | 'backfilling' | 'reconciled';
			view[stage] += s.sites;
		}
		for (const e of episodes) {
			const view = views.get(e.districtCode);
			if (view) view.paperExpected += e.expected;
		}
		return {
			at: now.toISOString(),
			districts: [...views.values()],
			episodes,
			notifications: notes.map(notificationView),
			notifier: this.notifier.channel
		};
	}

	private async episodeViews(params: {
		ids?: string[];
		districts?: string[];
		reconciledSince?: Date;
	}): Promise<FallbackEpisodeView[]> {
		const now = this.now();
		const rows = (
			await episodesForSummary(this.db, {
				reconciledSince: params.reconciledSince ?? new Date(0),
				districts: params.districts
			})
		).filter((e) => !params.ids || params.ids.includes(e.id));
		if (rows.length === 0) return [];
		const counts = await accountedPaperDoses(
			this.db,
			rows.map((e) => e.id)
		);
		const estimates = await this.estimates(rows, now);
		return rows.map((e) => {
			const accounted = counts.get(e.id)?.accounted ?? 0;
			const estimate = estimates.get(e.id) ?? 0;
			return {
				id: e.id,
				siteCode: e.siteCode,
				siteName: e.siteName,
				districtCode: e.districtCode,
				stage: e.stage,
				manualAt: e.manualAt.toISOString(),
				manualBy: e.manualBy,
				reasonCode: e.reasonCode,
				reason: e.reason,
				periods: e.periods,
				onlineAt: iso(e.onlineAt),
				onlineBy: e.onlineBy,
				registerCount: e.registerCount,
				accounted,
				estimate,
				expected: paperDosesExpected({
					stage: e.stage,
					registerCount: e.registerCount,
					estimate,
					accounted
				}),
				uploads: counts.get(e.id)?.uploads ?? 0,
				reconciledAt: iso(e.reconciledAt),
				reconciledBy: e.reconciledBy
			};
		});
	}

	/** Doses each fallback's site planned while on paper (see estimatePaperDoses). */
	private async estimates(episodes: EpisodeRow[], now: Date): Promise<Map<string, number>> {
		const tz = this.deps.config.APP_TIMEZONE;
		const from = episodes.reduce((min, e) => (e.manualAt < min ? e.manualAt : min), now);
		const sessions = await sessionsOfSites(this.db, {
			siteCodes: [...new Set(episodes.map((e) => e.siteCode))],
			from: localDate(from, tz),
			to: addDays(localDate(now, tz), 1)
		});
		const bySite = new Map<string, { capacity: number; startsMs: number; endsMs: number }[]>();
		for (const s of sessions) {
			const list = bySite.get(s.siteCode) ?? [];
			list.push({
				capacity: s.capacity,
				startsMs: (s.startsAt ?? zonedTime(s.date, DEFAULT_HOURS.start, tz)).getTime(),
				endsMs: (s.endsAt ?? zonedTime(s.date, DEFAULT_HOURS.end, tz)).getTime()
			});
			bySite.set(s.siteCode, list);
		}
		return new Map(
			episodes.map((e) => [
				e.id,
				estimatePaperDoses(
					e.periods.map((p) => ({
						fromMs: Date.parse(p.from),
						toMs: p.to ? Date.parse(p.to) : null
					})),
					bySite.get(e.siteCode) ?? [],
					now.getTime()
				)
			])
		);
	}
}

function closePeriods(periods: ManualPeriod[], at: string): ManualPeriod[] {
	return periods.map((p) => (p.to === null ? { ...p, to: at } : p));
}

function uploadView(u: BackfillUploadRow): BackfillUploadView {
	return {
		id: u.id,
		siteCode: u.siteCode,
		at: u.at.toISOString(),
		actor: u.actor,
		filename: u.filename,
		rows: u.rows,
		accepted: u.accepted,
		duplicates: u.duplicates,
		rejected: u.rejected,
		episodeId: u.episodeId
	};
}

function notificationView(n: NotificationRow): NotificationView {
	return {
		id: n.id,
		createdAt: n.createdAt.toISOString(),
		siteCode: n.siteCode,
		districtCode: n.districtCode,
		kind: n.kind,
		body: n.body,
		channel: n.channel,
		status: n.status,
		attempts: n.attempts,
		lastAttemptAt: iso(n.lastAttemptAt),
		sentAt: iso(n.sentAt),
		error: n.error
	};
}

function alertView(row: AlertRow, events: AlertEventRow[]): AlertView {
	const last = (kind: AlertEventRow['kind']) => events.findLast((e) => e.kind === kind);
	const ack = last('acknowledged');
	return {
		id: row.id,
		kind: row.kind,
		status: row.status,
		openedAt: row.openedAt.toISOString(),
		closedAt: iso(row.closedAt),
		districtCode: row.districtCode,
		siteCode: row.siteCode,
		parentId: row.parentId,
		summary: row.summary,
		acknowledgedBy: row.status !== 'open' && ack ? ack.actor : null,
		acknowledgedAt: row.status !== 'open' && ack ? ack.at.toISOString() : null,
		assignee: last('assigned')?.text ?? null,
		events: events.map((e) => ({
			at: e.at.toISOString(),
			kind: e.kind,
			actor: e.actor,
			text: e.text
		}))
	};
}
