import type { Db } from '../../src/lib/server/db/client';
import { insertDoses, withdrawDoses } from '../../src/lib/server/db/queries/dose';
import {
	insertHealthSamples,
	insertHeartbeats,
	upsertAppointments
} from '../../src/lib/server/db/queries/field';
import {
	districtIndex,
	existingSiteCodes,
	normaliseName,
	touchHeartbeats,
	upsertSessions,
	upsertSites,
	type NewSite
} from '../../src/lib/server/db/queries/site';
import {
	applyHeldReports,
	insertSmsMessages,
	insertSmsReports,
	smsFailureStatuses
} from '../../src/lib/server/db/queries/sms';
import type {
	FeedName,
	FeedRecords,
	HealthSampleRecord,
	SessionRecord,
	SmsReportRecord
} from '../../src/lib/shared/feeds';
import { ChangeBuilder, type LiveChange } from '../live/change';
import { lockSmsWrites, prepareReports, writeSmsRollups } from '../sms/ingest';
import type { LiveState } from '../live/state';
import { healthFromSample } from '../live/health';

/** What a writer did with a batch of valid records. */
export interface WriteOutcome {
	/** Per record (same order): accepted, duplicate, or the reason it was refused. */
	results: ('accepted' | 'duplicate' | { error: string })[];
	/** The batch's effect on the live picture, published after commit (null: none). */
	change: LiveChange | null;
}

export type Writer<K extends FeedName> = (
	tx: Db,
	records: FeedRecords[K][],
	live: LiveState
) => Promise<WriteOutcome>;

const UNKNOWN_SITE = 'unknown site';

/** Site codes that exist: the live state knows most; the database settles the rest. */
async function knownSites(tx: Db, live: LiveState, codes: string[]): Promise<Set<string>> {
	const known = new Set<string>();
	const ask: string[] = [];
	for (const code of new Set(codes)) {
		if (live.hasSite(code)) known.add(code);
		else ask.push(code);
	}
	for (const code of await existingSiteCodes(tx, ask)) known.add(code);
	return known;
}

const doses: Writer<'doses'> = async (tx, records, live) => {
	const known = await knownSites(
		tx,
		live,
		records.map((r) => r.siteCode)
	);
	const valid = records.filter((r) => known.has(r.siteCode));
	const completed = valid.filter((r) => r.status === 'completed');
	const inserted = await insertDoses(tx, completed, live.timeZone);
	const withdrawn = await withdrawDoses(
		tx,
		valid.filter((r) => r.status === 'entered_in_error'),
		live.timeZone
	);
	const withdrawnIds = new Set(withdrawn.map((w) => w.id));
	const counted = new Set<string>();
	const change = new ChangeBuilder();
	const results = records.map((r) => {
		if (!known.has(r.siteCode)) return { error: UNKNOWN_SITE };
		const fresh = r.status === 'completed' ? inserted.has(r.id) : withdrawnIds.has(r.id);
		// The same id twice in one batch: the first counts, the second is a duplicate.
		if (!fresh || counted.has(r.id)) return 'duplicate' as const;
		counted.add(r.id);
		if (r.status === 'completed') {
			const atMs = r.occurredAt.getTime();
			change.dose(r.siteCode, atMs, 1).lastDoseAt(r.siteCode, atMs);
		}
		return 'accepted' as const;
	});
	for (const w of withdrawn) change.dose(w.siteCode, w.occurredAtMs, -1);
	return { results, change: change.take() };
};

const sessions: Writer<'sessions'> = async (tx, records, live) => {
	const existing = await knownSites(
		tx,
		live,
		records.map((r) => r.siteCode)
	);
	const index = await districtIndex(tx);
	const newSites = new Map<string, NewSite>();
	const results: WriteOutcome['results'] = records.map((r) => {
		if (!r.site) return existing.has(r.siteCode) ? 'accepted' : { error: UNKNOWN_SITE };
		const districtCode = resolveDistrict(r.site, index);
		if (!districtCode) {
			if (existing.has(r.siteCode)) {
				newSites.set(r.siteCode, siteRow(r, live.siteDistrict(r.siteCode) ?? ''));
				return 'accepted';
			}
			const named = r.site.districtCode ?? r.site.districtName ?? 'none given';
			return { error: `unknown district: ${named}` };
		}
		newSites.set(r.siteCode, siteRow(r, districtCode));
		return 'accepted';
	});
	// A known site keeps its district; only a new site takes one from the feed.
	const sitesToWrite = [...newSites.values()].map((s) =>
		existing.has(s.code) && live.siteDistrict(s.code)
			? { ...s, districtCode: live.siteDistrict(s.code)! }
			: s
	);
	await upsertSites(
		tx,
		sitesToWrite.filter((s) => s.districtCode)
	);
	const accepted = records.filter((_, i) => results[i] === 'accepted');
	await upsertSessions(tx, accepted);
	const change = new ChangeBuilder();
	for (const s of sitesToWrite) {
		change.site({
			code: s.code,
			name: s.name,
			districtCode: s.districtCode,
			lat: s.lat,
			lon: s.lon
		});
	}
	for (const s of accepted) {
		change.session({
			sessionId: s.sessionId,
			siteCode: s.siteCode,
			date: s.date,
			capacity: s.capacity,
			startsAtMs: s.startsAt?.getTime() ?? null,
			endsAtMs: s.endsAt?.getTime() ?? null
		});
	}
	return { results, change: change.take() };
};

function resolveDistrict(
	site: NonNullable<SessionRecord['site']>,
	index: { codes: Set<string>; byName: Map<string, string> }
): string | null {
	if (site.districtCode && index.codes.has(site.districtCode)) return site.districtCode;
	if (site.districtName) return index.byName.get(normaliseName(site.districtName)) ?? null;
	return null;
}

function siteRow(r: SessionRecord, districtCode: string): NewSite {
	return {
		code: r.siteCode,
		name: r.site?.name ?? r.siteCode,
		districtCode,
		lat: r.site?.lat ?? null,
		lon: r.site?.lon ?? null,
		pincode: r.site?.pincode ?? null
	};
}

const isFailure = (s: string) => (smsFailureStatuses as string[]).includes(s);

const smsMessages: Writer<'sms-messages'> = async (tx, records, live) => {
	const known = await knownSites(
		tx,
		live,
		records.map((r) => r.siteCode)
	);
	const valid = records.filter((r) => known.has(r.siteCode));
	// One SMS writer at a time: a report and its message written at once still meet.
	await lockSmsWrites(tx);
	const inserted = await insertSmsMessages(tx, valid, live.timeZone);
	// Reports that arrived before their message apply now.
	const moves = await applyHeldReports(tx, [...inserted], live.timeZone);
	const added = new Map<string, { siteCode: string; sentAtMs: number }>();
	for (const r of valid) {
		// The first of a repeated id in one batch is the one inserted.
		if (inserted.has(r.messageId) && !added.has(r.messageId))
			added.set(r.messageId, { siteCode: r.siteCode, sentAtMs: r.sentAt.getTime() });
	}
	await writeSmsRollups(tx, live, [...added.values()], moves);
	const counted = new Set<string>();
	const results = records.map((r) => {
		if (!known.has(r.siteCode)) return { error: UNKNOWN_SITE };
		if (!inserted.has(r.messageId) || counted.has(r.messageId)) return 'duplicate' as const;
		counted.add(r.messageId);
		return 'accepted' as const;
	});
	const change = new ChangeBuilder();
	for (const m of added.values()) change.smsMove(m.siteCode, m.sentAtMs, 1, 0);
	return { results, change: smsMoves(change, moves).take() };
};

/** Status moves of messages: a move into or out of failure changes the failed count. */
function smsMoves(
	change: ChangeBuilder,
	moves: Awaited<ReturnType<typeof applyHeldReports>>
): ChangeBuilder {
	for (const m of moves) {
		const failed = Number(isFailure(m.to)) - Number(isFailure(m.from));
		change.smsMove(m.siteCode, m.sentAtMs, 0, failed);
	}
	return change;
}

const smsReports: Writer<'sms-reports'> = async (tx, given, live) => {
	await lockSmsWrites(tx);
	const { records, repeat } = await prepareReports(tx, given);
	const fresh = await insertSmsReports(
		tx,
		records.filter((_, i) => !repeat[i])
	);
	const moves = await applyHeldReports(
		tx,
		records.map((r) => r.messageId),
		live.timeZone
	);
	await writeSmsRollups(tx, live, [], moves);
	const seen = new Set<string>();
	const results = records.map((r, i) => {
		const key = reportKey(r);
		if (repeat[i] || seen.has(key)) return 'duplicate' as const;
		seen.add(key);
		return fresh.has(key) ? ('accepted' as const) : ('duplicate' as const);
	});
	return { results, change: smsMoves(new ChangeBuilder(), moves).take() };
};

/** Must match the key insertSmsReports returns. */
function reportKey(r: SmsReportRecord): string {
	return `${r.messageId}|${r.status}|${r.at.getTime()}`;
}

const appointments: Writer<'appointments'> = async (tx, records, live) => {
	const known = await knownSites(
		tx,
		live,
		records.map((r) => r.siteCode)
	);
	const valid = records.filter((r) => known.has(r.siteCode));
	await upsertAppointments(tx, valid);
	return {
		// Appointments are plans: a resend replaces the earlier plan, so none is a duplicate.
		results: records.map((r) => (known.has(r.siteCode) ? 'accepted' : { error: UNKNOWN_SITE })),
		change: null
	};
};

const heartbeats: Writer<'heartbeats'> = async (tx, records, live) => {
	const known = await knownSites(
		tx,
		live,
		records.map((r) => r.siteCode)
	);
	const valid = records.filter((r) => known.has(r.siteCode));
	const fresh = await insertHeartbeats(tx, valid);
	const latest = new Map<string, Date>();
	for (const h of valid) {
		const at = latest.get(h.siteCode);
		if (!at || h.at > at) latest.set(h.siteCode, h.at);
	}
	await touchHeartbeats(tx, latest);
	const change = new ChangeBuilder();
	for (const [site, at] of latest) change.heartbeat(site, at.getTime());
	return {
		results: countedResults(records, (r) => known.has(r.siteCode), valid.length - fresh),
		change: change.take()
	};
};

const health: Writer<'health'> = async (tx, records) => {
	const fresh = await insertHealthSamples(tx, records);
	const latest = new Map<string, HealthSampleRecord>();
	for (const s of records) {
		const held = latest.get(s.target);
		if (!held || s.at > held.at) latest.set(s.target, s);
	}
	const change = new ChangeBuilder();
	for (const s of latest.values()) change.healthOf(healthFromSample(s));
	return {
		results: countedResults(records, () => true, records.length - fresh),
		change: change.take()
	};
};

/**
 * For tables whose insert reports only how many rows were new: the last `duplicates`
 * valid records are counted as duplicates (which ones does not matter to the sender).
 */
function countedResults<T>(
	records: T[],
	valid: (r: T) => boolean,
	duplicates: number
): WriteOutcome['results'] {
	let dup = duplicates;
	const out: WriteOutcome['results'] = [];
	for (let i = records.length - 1; i >= 0; i--) {
		if (!valid(records[i])) out.push({ error: UNKNOWN_SITE });
		else if (dup > 0) {
			dup--;
			out.push('duplicate');
		} else out.push('accepted');
	}
	return out.reverse();
}

export const writers: { [K in FeedName]: Writer<K> } = {
	doses,
	sessions,
	'sms-messages': smsMessages,
	'sms-reports': smsReports,
	appointments,
	heartbeats,
	health
};
