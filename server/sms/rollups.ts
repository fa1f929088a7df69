/**
 * How a batch of new messages and status moves changes the SMS board's rollups
 * (schema/sms-ops.ts), as increments written in the batch's own transaction.
 */
import type { SmsStatus } from '../../src/lib/shared/feeds';
import type { SmsOutcome } from '../../src/lib/shared/sms';
import { localDate } from '../../src/lib/shared/time';
import { outcomeOfStatus } from './outcome';

const MINUTE = 60_000;
/** Final outcomes are counted in buckets of this many ms of the report's time. */
export const OUTCOME_BUCKET_MS = 5 * MINUTE;

/** A message's status move, as applyHeldReports returns it. */
export interface SmsMove {
	siteCode: string;
	sentAtMs: number;
	from: SmsStatus;
	to: SmsStatus;
	fromGroup: string | null;
	toGroup: string | null;
	/** The time of the status moved from (null while it had none) and to, epoch ms. */
	fromAtMs: number | null;
	toAtMs: number;
}

export interface SiteDayRow {
	day: string;
	siteCode: string;
	outcome: SmsOutcome;
	reason: string;
	messages: number;
}

export interface PendingMinuteRow {
	minute: Date;
	districtCode: string;
	messages: number;
}

export interface OutcomeBucketRow {
	bucket: Date;
	districtCode: string;
	outcome: SmsOutcome;
	reason: string;
	messages: number;
}

export interface SmsRollupRows {
	siteDays: SiteDayRow[];
	pendingMinutes: PendingMinuteRow[];
	outcomeBuckets: OutcomeBucketRow[];
}

const SEP = '\u0000';

/** The reason a rollup row is keyed by: the group for a failure, '' otherwise. */
function reasonOf(outcome: SmsOutcome, group: string | null): string {
	return outcome === 'failed' ? (group ?? 'unknown') : '';
}

/**
 * Sums the increments of one batch. Opposite moves cancel out (a message inserted and
 * moved in the same batch shows only where it ended up), and zero rows are not written.
 */
export class SmsRollupDelta {
	private siteDays = new Map<string, number>();
	private pending = new Map<string, number>();
	private buckets = new Map<string, number>();
	/** Local day per minute of sending: days change at midnight, formatting is not free. */
	private days = new Map<number, string>();

	constructor(
		private readonly timeZone: string,
		/** A site's district (the live state knows every site a message can be for). */
		private readonly districtOf: (siteCode: string) => string | undefined
	) {}

	/** A new message, pending until a report moves it. */
	added(siteCode: string, sentAtMs: number): this {
		this.count(siteCode, sentAtMs, 'queued', null, null, 1);
		return this;
	}

	moved(m: SmsMove): this {
		this.count(m.siteCode, m.sentAtMs, m.from, m.fromGroup, m.fromAtMs, -1);
		this.count(m.siteCode, m.sentAtMs, m.to, m.toGroup, m.toAtMs, 1);
		return this;
	}

	rows(): SmsRollupRows {
		const out: SmsRollupRows = { siteDays: [], pendingMinutes: [], outcomeBuckets: [] };
		for (const [key, messages] of this.siteDays) {
			if (messages === 0) continue;
			const [day, siteCode, outcome, reason] = key.split(SEP);
			out.siteDays.push({ day, siteCode, outcome: outcome as SmsOutcome, reason, messages });
		}
		for (const [key, messages] of this.pending) {
			if (messages === 0) continue;
			const [minute, districtCode] = key.split(SEP);
			out.pendingMinutes.push({ minute: new Date(Number(minute)), districtCode, messages });
		}
		for (const [key, messages] of this.buckets) {
			if (messages === 0) continue;
			const [bucket, districtCode, outcome, reason] = key.split(SEP);
			out.outcomeBuckets.push({
				bucket: new Date(Number(bucket)),
				districtCode,
				outcome: outcome as SmsOutcome,
				reason,
				messages
			});
		}
		// No particular order: SMS writes are serialised (lockSmsWrites), so two writers never
		// lock rollup rows against each other.
		return out;
	}

	private count(
		siteCode: string,
		sentAtMs: number,
		status: SmsStatus,
		group: string | null,
		atMs: number | null,
		n: number
	): void {
		const outcome = outcomeOfStatus(status);
		const reason = reasonOf(outcome, group);
		const day = this.dayOf(sentAtMs);
		add(this.siteDays, `${day}${SEP}${siteCode}${SEP}${outcome}${SEP}${reason}`, n);
		const district = this.districtOf(siteCode);
		// A site without a district cannot be on the board (messages need a known site).
		if (district === undefined) return;
		if (outcome === 'pending') {
			add(this.pending, `${Math.floor(sentAtMs / MINUTE) * MINUTE}${SEP}${district}`, n);
			return;
		}
		// A final status always has a time.
		if (atMs === null) return;
		const bucket = Math.floor(atMs / OUTCOME_BUCKET_MS) * OUTCOME_BUCKET_MS;
		add(this.buckets, `${bucket}${SEP}${district}${SEP}${outcome}${SEP}${reason}`, n);
	}

	private dayOf(ms: number): string {
		const minute = Math.floor(ms / MINUTE);
		let day = this.days.get(minute);
		if (day === undefined) this.days.set(minute, (day = localDate(new Date(ms), this.timeZone)));
		return day;
	}
}

function add(map: Map<string, number>, key: string, n: number): void {
	map.set(key, (map.get(key) ?? 0) + n);
}
