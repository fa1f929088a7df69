/**
 * What the SMS feed writers (server/feeds/writers.ts) do beyond storing rows: settle
 * each report's reason group and message id, tell repeated Twilio callbacks apart, and
 * keep the board's rollups in the same transaction.
 */
import type { Db } from '../../src/lib/server/db/client';
import {
	addSmsRollups,
	heldReportKeys,
	lockSmsWrites,
	matchReceiptIds
} from '../../src/lib/server/db/queries/sms-ops';
import type { SmsTransition } from '../../src/lib/server/db/queries/sms';
import type { SmsReportRecord } from '../../src/lib/shared/feeds';
import type { LiveState } from '../live/state';
import { reasonGroupOf } from './outcome';
import { SmsRollupDelta } from './rollups';
import { receiptIdVariants } from './smpp';

export { lockSmsWrites };

/**
 * Reports ready to store: every failure with its reason group, SMPP receipt ids matched
 * to the message id they stand for, and the Twilio callbacks already held (same message
 * and status: Twilio gives no time of its own) marked as repeats (`repeat[i]`).
 */
export async function prepareReports(
	tx: Db,
	records: SmsReportRecord[]
): Promise<{ records: SmsReportRecord[]; repeat: boolean[] }> {
	const variants = new Map<string, string[]>();
	for (const r of records) {
		if (r.form === 'smpp' && !variants.has(r.messageId))
			variants.set(r.messageId, receiptIdVariants(r.messageId));
	}
	const matched = await matchReceiptIds(tx, variants);
	const out = records.map((r) => {
		const messageId = matched.get(r.messageId) ?? r.messageId;
		return {
			...r,
			messageId,
			reasonGroup: r.reasonGroup ?? reasonGroupOf(r)
		};
	});
	const twilio = out.filter((r) => r.form === 'twilio');
	const held = await heldReportKeys(tx, twilio);
	const seen = new Set<string>();
	const repeat = out.map((r) => {
		if (r.form !== 'twilio') return false;
		const key = `${r.messageId}|${r.status}`;
		if (held.has(key) || seen.has(key)) return true;
		seen.add(key);
		return false;
	});
	return { records: out, repeat };
}

/** Count new messages and status moves in the board's rollups. */
export async function writeSmsRollups(
	tx: Db,
	live: LiveState,
	added: { siteCode: string; sentAtMs: number }[],
	moves: SmsTransition[]
): Promise<void> {
	const delta = new SmsRollupDelta(live.timeZone, (site) => live.siteDistrict(site));
	for (const m of added) delta.added(m.siteCode, m.sentAtMs);
	for (const m of moves) delta.moved(m);
	await addSmsRollups(tx, delta.rows());
}
