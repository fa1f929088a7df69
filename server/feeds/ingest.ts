import type { Db, DbHandle } from '../../src/lib/server/db/client';
import { announceChange } from '../../src/lib/server/db/queries/cluster';
import { quarantineItems, type QuarantineEntry } from '../../src/lib/server/db/queries/quarantine';
import type { FeedName, FeedRecords, IngestResult } from '../../src/lib/shared/feeds';
import { CHANGE_CHANNEL, changePayloads, newNodeId } from '../cluster/changes';
import { applyChange, type LiveChange } from '../live/change';
import type { LiveState } from '../live/state';
import { GroupCommit } from './group-commit';
import type { Parsed } from './parse';
import { writers, type WriteOutcome } from './writers';

export interface FeedRequest<K extends FeedName> {
	parsed: Parsed<FeedRecords[K]>;
	/** The quarantine label of this body's form (e.g. "doses/fhir"), so a replay parses it alike. */
	form: string;
	/** False on replay: the quarantined row is updated instead of a new one written. */
	quarantine: boolean;
}

export interface BatchStats {
	feed: FeedName;
	requests: number;
	items: number;
	accepted: number;
	commitMs: number;
}

export interface IngestDeps {
	handle: DbHandle;
	/** Read for site lookups; changed only through `publish`. */
	live: LiveState;
	/** This process among the nodes; its changes are sent to the others with this name. */
	node?: string;
	/**
	 * Makes a committed batch's change live on this node; `tx` is the transaction that wrote
	 * it. Without it the change is applied to `live` alone.
	 */
	publish?: (change: LiveChange, tx: string) => void;
	/** Told about every committed batch (metrics). */
	onBatch?: (stats: BatchStats) => void;
	/** Told when a batch could not be written (the database may be away). */
	onFailure?: (error: unknown) => void;
}

type Queues = { [K in FeedName]: GroupCommit<FeedRequest<K>, IngestResult> };

/**
 * The one write path of every feed: parsed items from concurrent requests are written
 * in shared transactions (raw rows, rollups and quarantined rejects together), the
 * live state follows after the commit, and only then does each sender get its answer.
 */
export class Ingest {
	private readonly queues: Queues;
	private readonly node: string;

	constructor(private readonly deps: IngestDeps) {
		this.node = deps.node ?? newNodeId();
		// Doses on PostgreSQL: two transactions in flight under load (see GroupCommit).
		const lanes = (feed: FeedName) => (feed === 'doses' && deps.handle.kind === 'postgres' ? 2 : 1);
		const queue = <K extends FeedName>(feed: K) =>
			new GroupCommit<FeedRequest<K>, IngestResult>(
				(reqs) => this.writeBatch(feed, reqs),
				5000,
				lanes(feed)
			);
		this.queues = {
			doses: queue('doses'),
			sessions: queue('sessions'),
			'sms-messages': queue('sms-messages'),
			'sms-reports': queue('sms-reports'),
			appointments: queue('appointments'),
			heartbeats: queue('heartbeats'),
			health: queue('health')
		};
	}

	submit<K extends FeedName>(feed: K, request: FeedRequest<K>): Promise<IngestResult> {
		const size = request.parsed.items.length + request.parsed.rejected.length;
		return this.queues[feed].submit(request, Math.max(1, size));
	}

	/** Requests waiting for a transaction, all feeds together. */
	get pending(): number {
		return Object.values(this.queues).reduce((n, q) => n + q.pending, 0);
	}

	private async writeBatch<K extends FeedName>(
		feed: K,
		requests: FeedRequest<K>[]
	): Promise<IngestResult[]> {
		const started = performance.now();
		const records = requests.flatMap((r) => r.parsed.items.map((i) => i.value));
		const writer = writers[feed] as unknown as (
			tx: Db,
			records: FeedRecords[K][],
			live: LiveState
		) => Promise<WriteOutcome>;
		let written: { outcome: WriteOutcome; answers: IngestResult[]; tx: string };
		try {
			written = await this.write(writer, records, requests);
		} catch (error) {
			this.deps.onFailure?.(error);
			throw error;
		}
		const { outcome, answers, tx } = written;
		if (outcome.change) {
			if (this.deps.publish) this.deps.publish(outcome.change, tx);
			else applyChange(this.deps.live, outcome.change);
		}
		this.deps.onBatch?.({
			feed,
			requests: requests.length,
			items: records.length,
			accepted: answers.reduce((n, a) => n + a.accepted, 0),
			commitMs: performance.now() - started
		});
		return answers;
	}

	/** One transaction: the writer's rows and the batch's quarantined rejects together. */
	private async write<K extends FeedName>(
		writer: (tx: Db, records: FeedRecords[K][], live: LiveState) => Promise<WriteOutcome>,
		records: FeedRecords[K][],
		requests: FeedRequest<K>[]
	): Promise<{ outcome: WriteOutcome; answers: IngestResult[]; tx: string }> {
		return this.deps.handle.db.transaction(async (tx) => {
			const outcome = await writer(tx as unknown as Db, records, this.deps.live);
			const quarantined: QuarantineEntry[] = [];
			let k = 0;
			const answers = requests.map((req) => {
				const answer: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
				for (const rej of req.parsed.rejected) {
					answer.rejected.push({ index: rej.index, error: rej.error });
					if (req.quarantine) quarantined.push({ feed: req.form, error: rej.error, item: rej.raw });
				}
				for (const item of req.parsed.items) {
					const result = outcome.results[k++];
					if (result === 'accepted') answer.accepted++;
					else if (result === 'duplicate') answer.duplicates++;
					else {
						answer.rejected.push({ index: item.index, error: result.error });
						if (req.quarantine)
							quarantined.push({ feed: req.form, error: result.error, item: item.raw });
					}
				}
				answer.rejected.sort((a, b) => a.index - b.index);
				return answer;
			});
			await quarantineItems(tx, quarantined);
			// On PostgreSQL the change goes to the other nodes with the commit, never without it.
			const notify =
				outcome.change && this.deps.handle.kind === 'postgres'
					? { channel: CHANGE_CHANNEL, payloads: changePayloads(this.node, outcome.change) }
					: null;
			const txId = await announceChange(tx as unknown as Db, notify);
			return { outcome, answers, tx: txId };
		});
	}
}
