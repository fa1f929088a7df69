import type { Logger } from '../log';
import { applyChange, type LiveChange } from './change';
import type { LiveLoad, LiveState } from './state';
import { holds, parseSnapshot, type Snapshot } from './visibility';

/** What a rebuild reads: the data, and the snapshot it was read in (pg_current_snapshot). */
export interface LiveRead {
	load: LiveLoad;
	snapshot: string;
}

export interface LiveSyncDeps {
	live: LiveState;
	log: Logger;
	read(now: Date): Promise<LiveRead>;
	/** After each rebuild: put back what the database does not hold (this node's own signals). */
	onLoaded?(): void;
}

/**
 * Keeps the live state equal to the database while it is changed from several places:
 * this node's writes, other nodes' writes, and rebuilds from the database. Each change
 * carries the id of the transaction that wrote it; a rebuild notes which transactions its
 * snapshot holds, so no change is counted twice or lost, whatever order things arrive in.
 */
export class LiveSync {
	private loadedFrom: Snapshot | null = null;
	/** Changes applied while a rebuild is reading (and before the first): applied again after it. */
	private pending: { tx: string | null; change: LiveChange }[] | null = [];
	private chain: Promise<void> = Promise.resolve();
	private queued = false;

	constructor(private readonly deps: LiveSyncDeps) {}

	/** A committed change; `tx` is the transaction that wrote it, when known. */
	apply(change: LiveChange, tx: string | null = null, now = new Date()): void {
		// Already in the state the last rebuild read.
		if (tx !== null && this.loadedFrom && holds(this.loadedFrom, tx)) return;
		this.pending?.push({ tx, change });
		applyChange(this.deps.live, change, now);
	}

	/**
	 * Rebuild from the database. With `announce`, every entry goes out in the next delta
	 * (clients keep their stream); without, the caller sends snapshots itself.
	 */
	reload(now = new Date(), announce = true): Promise<void> {
		const run = this.chain.catch(() => {}).then(() => this.rebuild(now, announce));
		this.chain = run;
		return run;
	}

	/** Rebuild soon; asked again while one is waiting, it still runs once. */
	requestReload(reason: string): void {
		if (this.queued) return;
		this.queued = true;
		this.chain = this.chain
			.catch(() => {})
			.then(async () => {
				this.queued = false;
				try {
					await this.rebuild(new Date(), true);
					this.deps.log.info({ reason }, 'live state rebuilt');
				} catch (err) {
					this.deps.log.error({ err, reason }, 'live state rebuild failed');
				}
			});
	}

	/** How long the last rebuild took, in ms (metrics, the bench). */
	lastRebuildMs = 0;

	private async rebuild(now: Date, announce: boolean): Promise<void> {
		const { live } = this.deps;
		const started = performance.now();
		const previousAlerts = live.alertIds();
		this.pending ??= [];
		try {
			const read = await this.deps.read(now);
			live.load(read.load, now);
			const snapshot = parseSnapshot(read.snapshot);
			this.loadedFrom = snapshot;
			for (const p of this.pending) {
				// Unnumbered changes are latest-wins values: applying them again is harmless.
				if (p.tx === null || !holds(snapshot, p.tx)) applyChange(live, p.change, now);
			}
			this.deps.onLoaded?.();
			if (announce) live.markAllChanged(previousAlerts);
			this.lastRebuildMs = performance.now() - started;
		} finally {
			this.pending = null;
		}
	}
}
