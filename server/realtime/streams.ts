import { randomUUID } from 'node:crypto';
import type { Delta, Snapshot } from '../../src/lib/shared/live';
import type { Changes, LiveState } from '../live/state';

/**
 * The longest a stream stays silent while the picture is current, in ms. Screens call a
 * picture stale after 5 s without an update (src/lib/live/live-store.svelte.ts).
 */
export const KEEP_ALIVE_MS = 2000;

/** A delta stream: all districts, or one district officer's set. */
export class DeltaStream {
	seq = 0;
	/** When this stream last sent a delta (epoch ms), for keep-alives. */
	lastSentMs = 0;
	private ring: Delta[] = [];

	constructor(
		readonly key: string,
		/** null: every district. */
		readonly districts: Set<string> | null,
		private readonly ringSize: number
	) {}

	get room(): string {
		return `stream:${this.key}`;
	}

	push(delta: Delta): void {
		this.ring.push(delta);
		if (this.ring.length > this.ringSize) this.ring.shift();
	}

	/** Deltas after `sinceSeq`, or null when they are no longer held (send a snapshot). */
	since(sinceSeq: number): Delta[] | null {
		if (sinceSeq === this.seq) return [];
		if (sinceSeq > this.seq) return null;
		const first = this.ring[0];
		if (!first || first.seq > sinceSeq + 1) return null;
		return this.ring.filter((d) => d.seq > sinceSeq);
	}
}

/**
 * Numbered, coalesced deltas, built once per stream (not per client) from the live
 * state's changes. Each process has its own epoch, new again after a reset: a client
 * resumes only within it.
 *
 * Keep-alives: a stream with nothing to say for `keepAliveMs` sends an empty delta (the
 * next seq, totals only), so a screen can tell "connected, nothing changed" from "stale".
 * While `holding` (the database is unreachable, the picture cannot be vouched for) no
 * keep-alives are sent and screens show how old their picture is.
 */
export class DeltaStreams {
	epoch = randomUUID();
	/** True while the live picture may be out of date: keep-alives stop. */
	holding = false;
	private streams = new Map<string, DeltaStream>();
	private snapshots = new WeakMap<
		DeltaStream,
		{ seq: number; epoch: string; builtMs: number; snapshot: Snapshot }
	>();

	constructor(
		private readonly live: LiveState,
		/** Deltas held for resuming clients (at one a second, ten minutes). */
		private readonly ringSize = 600,
		private readonly keepAliveMs = KEEP_ALIVE_MS
	) {}

	/** The stream for a set of districts (null: all), created on first use. */
	streamFor(districts: string[] | null): DeltaStream {
		const key = districts === null ? 'all' : [...new Set(districts)].sort().join(',');
		let stream = this.streams.get(key);
		if (!stream) {
			stream = new DeltaStream(key, districts === null ? null : new Set(districts), this.ringSize);
			this.streams.set(key, stream);
		}
		return stream;
	}

	/**
	 * The stream's snapshot. Built once per position (and at most every 2 s): when many
	 * clients connect at once (a node restarted, its clients moved here) they share it.
	 * Changes made after it was built are still in the next delta, so it stays correct.
	 */
	snapshot(stream: DeltaStream, now: Date): Snapshot {
		const cached = this.snapshots.get(stream);
		if (
			cached &&
			cached.seq === stream.seq &&
			cached.epoch === this.epoch &&
			now.getTime() - cached.builtMs < 2000
		) {
			return cached.snapshot;
		}
		const snapshot = this.live.snapshot(
			stream.districts,
			{ seq: stream.seq, epoch: this.epoch },
			now
		);
		this.snapshots.set(stream, {
			seq: stream.seq,
			epoch: this.epoch,
			builtMs: now.getTime(),
			snapshot
		});
		return snapshot;
	}

	/** Take the live state's changes and build each stream's next delta, if it has one. */
	tick(now: Date): { stream: DeltaStream; delta: Delta }[] {
		const changes = this.live.takeChanges();
		const out: { stream: DeltaStream; delta: Delta }[] = [];
		for (const stream of this.streams.values()) {
			const keepAlive = !this.holding && now.getTime() - stream.lastSentMs >= this.keepAliveMs;
			const delta = this.buildDelta(stream, changes, now, keepAlive);
			if (!delta) continue;
			stream.push(delta);
			stream.lastSentMs = now.getTime();
			out.push({ stream, delta });
		}
		return out;
	}

	/** After a reload (a new day): every stream starts over from a snapshot, in a new epoch. */
	reset(): void {
		this.streams.clear();
		this.epoch = randomUUID();
	}

	private buildDelta(
		stream: DeltaStream,
		changes: Changes,
		now: Date,
		keepAlive: boolean
	): Delta | null {
		const live = this.live;
		const inScope = (district: string | undefined) =>
			!stream.districts || (district !== undefined && stream.districts.has(district));
		const districts = [...changes.districts]
			.filter((c) => inScope(c))
			.map((c) => live.districtView(c))
			.filter((d) => d !== undefined);
		const sites = [...changes.sites]
			.map((c) => live.siteView(c))
			.filter((s) => s !== undefined && inScope(s.districtCode));
		const health = [...changes.health]
			.map((t) => live.healthView(t))
			.filter((h) => h !== undefined);
		const alerts = [...changes.alerts]
			.map((id) => live.alertView(id))
			.filter((a) => a !== undefined && (!a.districtCode || inScope(a.districtCode)));
		const alertsClosed = [...changes.alertsClosed];
		if (
			!keepAlive &&
			!districts.length &&
			!sites.length &&
			!health.length &&
			!alerts.length &&
			!alertsClosed.length
		) {
			return null;
		}
		stream.seq += 1;
		const delta: Delta = {
			seq: stream.seq,
			epoch: this.epoch,
			at: now.toISOString(),
			day: live.day,
			totals: live.totals(stream.districts)
		};
		if (districts.length) delta.districts = districts;
		if (sites.length) delta.sites = sites as NonNullable<Delta['sites']>;
		if (health.length) delta.health = health;
		if (alerts.length) delta.alerts = alerts as NonNullable<Delta['alerts']>;
		if (alertsClosed.length) delta.alertsClosed = alertsClosed;
		return delta;
	}
}
