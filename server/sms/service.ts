/**
 * SMS work beyond the feeds: marks on call lists (live on every screen), resends through
 * the outbound notifier, and the failure-rate detector with its upkeep.
 */
import type { Principal } from '../../src/lib/server/auth/policy';
import type { Config } from '../../src/lib/server/config';
import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { appendAudit } from '../../src/lib/server/db/queries/audit';
import { getMeta, setMeta } from '../../src/lib/server/db/queries/meta';
import {
	appointmentSlots,
	clearCallMark,
	hasAppointment,
	messagesById,
	prunePendingMinutes,
	rebuildSmsRollups,
	resendCounts,
	setCallMark
} from '../../src/lib/server/db/queries/sms-ops';
import { siteHours } from '../../src/lib/server/sms/fallback';
import type { SmsMessageRecord, SmsReportRecord } from '../../src/lib/shared/feeds';
import type { CallMarkLive, CallOutcome } from '../../src/lib/shared/sms';
import { fallbackMessage, type FallbackLanguage } from '../../src/lib/shared/sms-text';
import { actorName } from '../auth';
import type { Ingest } from '../feeds/ingest';
import type { LiveState } from '../live/state';
import type { Logger } from '../log';
import { createNotifier, type ResendRequest, type SmsNotifier } from './notifier';

const MINUTE = 60_000;
/**
 * How the rollups were built: their layout and the time zone their days were counted in.
 * Either changing (a new layout after an upgrade, another APP_TIMEZONE) rebuilds them.
 */
const ROLLUP_KEY = 'sms.rollups';
const ROLLUP_LAYOUT = 2;
/** Pending-minute rows older than this are never read again. */
const PENDING_KEEP_MS = 24 * 60 * MINUTE;
/** At most this many messages in one resend request. */
export const MAX_RESEND = 1000;

export class SmsRequestError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

export interface SmsServiceDeps {
	config: Config;
	handle: DbHandle;
	live: LiveState;
	ingest: Ingest;
	log: Logger;
	/** Sends a committed call mark to every screen that shows the list (all nodes). */
	emitMark?: (mark: CallMarkLive, districtCode: string) => void;
	notifier?: SmsNotifier;
	now?: () => Date;
}

export interface ResendAnswer {
	requested: number;
	resends: { messageId: string; resendOf: string }[];
	rejected: { messageId: string; error: string }[];
	notifier: 'log' | 'webhook';
	/** False when the notifier failed: the resends are recorded as failed with its error. */
	handedOver: boolean;
	error?: string;
}

export class SmsService {
	readonly notifier: SmsNotifier;
	private readonly now: () => Date;

	constructor(private readonly deps: SmsServiceDeps) {
		this.notifier = deps.notifier ?? createNotifier(deps.config, deps.log);
		this.now = deps.now ?? (() => new Date());
	}

	get noReportMinutes(): number {
		return this.deps.config.SMS_NO_REPORT_MINUTES;
	}

	/** Where a later emitter (the socket server, attached after start-up) takes the marks. */
	useEmitter(emit: (mark: CallMarkLive, districtCode: string) => void): void {
		this.deps.emitMark = emit;
	}

	/**
	 * The rollups must count every message in the configured zone: built from the messages
	 * when the tables are new on a database that already held messages, or the zone changed.
	 */
	async ensureRollups(): Promise<void> {
		const db = this.deps.handle.db;
		const zone = this.deps.config.APP_TIMEZONE;
		const built = `${ROLLUP_LAYOUT} ${zone}`;
		if ((await getMeta(db, ROLLUP_KEY)) === built) return;
		await db.transaction(async (tx) => {
			await rebuildSmsRollups(tx as unknown as Db, zone);
			await setMeta(tx as unknown as Db, ROLLUP_KEY, built);
		});
		this.deps.log.info({ timeZone: zone }, 'SMS board rollups built from the messages');
	}

	async prune(): Promise<number> {
		return prunePendingMinutes(
			this.deps.handle.db,
			new Date(this.now().getTime() - PENDING_KEEP_MS)
		);
	}

	/** Mark a person on a call list (or clear the mark: `outcome` null); audited, then live. */
	async mark(
		principal: Principal,
		params: {
			siteCode: string;
			/** The site's district: the rooms the mark is sent to. */
			districtCode: string;
			date: string;
			beneficiaryRef: string;
			outcome: CallOutcome | null;
			ip?: string | null;
		}
	): Promise<CallMarkLive> {
		const by = actorName(principal);
		const key = {
			siteCode: params.siteCode,
			date: params.date,
			beneficiaryRef: params.beneficiaryRef
		};
		const at = await this.deps.handle.db.transaction(async (txAny) => {
			const tx = txAny as unknown as Db;
			if (!(await hasAppointment(tx, key)))
				throw new SmsRequestError(
					404,
					`no appointment for ${params.beneficiaryRef} at ${params.siteCode} on ${params.date}`
				);
			let when = this.now();
			if (params.outcome) when = await setCallMark(tx, { ...key, outcome: params.outcome, by });
			else await clearCallMark(tx, key);
			await appendAudit(tx, {
				actor: by,
				action: params.outcome ? 'calllist.mark' : 'calllist.unmark',
				target: `site:${params.siteCode}`,
				// The reference, not the person's name or number: the audit log holds no personal data.
				detail: {
					date: params.date,
					beneficiaryRef: params.beneficiaryRef,
					outcome: params.outcome
				},
				ip: params.ip ?? null
			});
			return when;
		});
		const mark: CallMarkLive = { ...key, outcome: params.outcome, at: at.toISOString(), by };
		this.deps.emitMark?.(mark, params.districtCode);
		return mark;
	}

	/**
	 * Resend failed (or no-report) messages of one site through the notifier, as new
	 * messages linked to their originals, in `language`. Audited.
	 */
	async resend(
		principal: Principal,
		params: {
			siteCode: string;
			siteName: string;
			date: string;
			messageIds: string[];
			language: FallbackLanguage;
			ip?: string | null;
		}
	): Promise<ResendAnswer> {
		const db = this.deps.handle.db;
		const now = this.now();
		const ids = [...new Set(params.messageIds)];
		if (ids.length > MAX_RESEND)
			throw new SmsRequestError(400, `at most ${MAX_RESEND} messages in one resend request`);
		const [held, counts, slots, hours] = await Promise.all([
			messagesById(db, ids),
			resendCounts(db, ids),
			appointmentSlots(db, { siteCode: params.siteCode, date: params.date }),
			siteHours(db, {
				siteCode: params.siteCode,
				date: params.date,
				timeZone: this.deps.config.APP_TIMEZONE
			})
		]);
		const byId = new Map(held.map((m) => [m.messageId, m]));
		const rejected: ResendAnswer['rejected'] = [];
		const requests: ResendRequest[] = [];
		const records: SmsMessageRecord[] = [];
		const noReportMs = this.noReportMinutes * MINUTE;
		for (const id of ids) {
			const m = byId.get(id);
			const refuse = (error: string) => rejected.push({ messageId: id, error });
			if (!m) {
				refuse('no such message');
				continue;
			}
			if (m.siteCode !== params.siteCode) {
				refuse(`not a message for site ${params.siteCode}`);
				continue;
			}
			const pending = m.status === 'queued' || m.status === 'sent';
			if (m.status === 'delivered') {
				refuse('already delivered');
				continue;
			}
			if (pending && now.getTime() - m.sentAtMs < noReportMs) {
				refuse(`still waiting for its report (less than ${this.noReportMinutes} minutes old)`);
				continue;
			}
			const slot = slots.get(m.beneficiaryRef);
			const phone = m.phone ?? slot?.phone ?? null;
			if (!phone) {
				refuse('no phone number held for this person');
				continue;
			}
			const messageId = `${id}~r${(counts.get(id) ?? 0) + 1}`;
			const text = fallbackMessage(params.language, {
				centre: params.siteName,
				date: m.sessionDate ?? params.date,
				time: slot?.slot ?? hours
			});
			requests.push({
				messageId,
				resendOf: id,
				to: phone,
				text,
				language: params.language,
				siteCode: m.siteCode,
				beneficiaryRef: m.beneficiaryRef
			});
			records.push({
				messageId,
				beneficiaryRef: m.beneficiaryRef,
				siteCode: m.siteCode,
				kind: m.kind as SmsMessageRecord['kind'],
				sentAt: now,
				phone,
				sessionDate: m.sessionDate ?? params.date,
				provider: `resend:${this.notifier.name}`,
				resendOf: id
			});
		}
		const answer: ResendAnswer = {
			requested: ids.length,
			resends: requests.map((r) => ({ messageId: r.messageId, resendOf: r.resendOf })),
			rejected,
			notifier: this.notifier.name,
			handedOver: true
		};
		if (records.length === 0) return answer;

		// Recorded first: a resend exists (and is tracked) before the gateway hears of it.
		await this.deps.ingest.submit('sms-messages', {
			parsed: { items: records.map((value, index) => ({ index, value, raw: null })), rejected: [] },
			form: 'sms-messages',
			quarantine: false
		});
		const sent = await this.notifier.send(requests);
		if (!sent.ok) {
			answer.handedOver = false;
			answer.error = sent.error;
			// The gateway never took them: they failed, for the same reason, like any message.
			const reports: SmsReportRecord[] = records.map((r) => ({
				messageId: r.messageId,
				status: 'failed',
				at: new Date(),
				errorCode: null,
				reason: `resend not handed to the gateway: ${sent.error}`,
				provider: r.provider,
				reasonGroup: 'gateway_error'
			}));
			await this.deps.ingest.submit('sms-reports', {
				parsed: {
					items: reports.map((value, index) => ({ index, value, raw: null })),
					rejected: []
				},
				form: 'sms-reports',
				quarantine: false
			});
		}
		await appendAudit(db, {
			actor: actorName(principal),
			action: 'sms.resend',
			target: `site:${params.siteCode}`,
			detail: {
				date: params.date,
				language: params.language,
				requested: ids.length,
				resent: records.length,
				rejected: rejected.length,
				notifier: this.notifier.name,
				handedOver: answer.handedOver
			},
			ip: params.ip ?? null
		});
		return answer;
	}
}
