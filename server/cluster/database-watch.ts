import type { HealthLive } from '../../src/lib/shared/live';
import type { Logger } from '../log';

/** The product's own database, as a health target in the live picture. */
export const DATABASE_TARGET = 'command-centre-database';

export interface DatabaseWatchDeps {
	ping(): Promise<void>;
	log: Logger;
	/** The database stopped answering (`since`: when it was first seen down). */
	onDown(since: Date): void;
	/** It answers again after being down. */
	onUp(downSince: Date): void;
	/** Between checks while it answers, and while it does not, in ms. */
	upEveryMs?: number;
	downEveryMs?: number;
	/** A ping slower than this counts as a failure, in ms. */
	timeoutMs?: number;
	now?: () => Date;
}

/**
 * Whether the database answers, checked on a timer and at once when a write fails. While
 * it is down, feeds are refused with 503 at once (no request waits on a dead connection),
 * the live picture is held as it was, and screens are told (a `down` health target and
 * no keep-alives, so they show "stale since"). Back up, the live state is rebuilt.
 */
export class DatabaseWatch {
	private upState = true;
	private changedAt: Date;
	private timer: NodeJS.Timeout | undefined;
	private checking: Promise<void> | null = null;
	private closed = false;
	private lastLatencyMs: number | null = null;
	private readonly now: () => Date;

	constructor(private readonly deps: DatabaseWatchDeps) {
		this.now = deps.now ?? (() => new Date());
		this.changedAt = this.now();
	}

	get up(): boolean {
		return this.upState;
	}

	/** When the database was last seen going down or coming back. */
	get since(): Date {
		return this.changedAt;
	}

	start(): void {
		this.schedule();
	}

	/** Something failed against the database: check now rather than at the next tick. */
	suspect(): void {
		void this.check();
	}

	/** The database as a health entry for the live picture. */
	health(): HealthLive {
		return {
			target: DATABASE_TARGET,
			status: this.upState ? 'up' : 'down',
			latencyMs: this.upState ? this.lastLatencyMs : null,
			at: this.changedAt.toISOString()
		};
	}

	close(): void {
		this.closed = true;
		clearTimeout(this.timer);
	}

	/** One check at a time; a check asked for during one shares it. */
	check(): Promise<void> {
		this.checking ??= this.probe().finally(() => {
			this.checking = null;
		});
		return this.checking;
	}

	private async probe(): Promise<void> {
		const started = performance.now();
		let ok: boolean;
		try {
			await withTimeout(this.deps.ping(), this.deps.timeoutMs ?? 2000);
			ok = true;
			this.lastLatencyMs = Math.round(performance.now() - started);
		} catch (err) {
			ok = false;
			if (this.upState) this.deps.log.error({ err }, 'database unreachable');
		}
		if (ok === this.upState || this.closed) return;
		const downSince = this.changedAt;
		this.upState = ok;
		this.changedAt = this.now();
		if (ok) {
			this.deps.log.info({ downSince }, 'database reachable again');
			this.deps.onUp(downSince);
		} else {
			this.deps.onDown(this.changedAt);
		}
	}

	private schedule(): void {
		if (this.closed) return;
		const wait = this.upState ? (this.deps.upEveryMs ?? 2000) : (this.deps.downEveryMs ?? 1000);
		this.timer = setTimeout(() => {
			void this.check().finally(() => this.schedule());
		}, wait);
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
