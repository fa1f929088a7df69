import type pg from 'pg';
import type { Logger } from '../log';
import { createClusterClient } from './pg';

/** What a leader-only task returns: how to stop it. */
export type Stop = () => void | Promise<void>;
type Start = () => Stop | void | Promise<Stop | void>;

/**
 * The advisory lock that elects the one node running once-per-cluster work (detectors,
 * probes, the simulator). Two 32-bit keys: 'LDCC' and 1. Advisory locks are per database.
 */
export const LEADER_LOCK: readonly [number, number] = [0x4c444343, 1];

/**
 * Runs tasks on one node at a time. `whileLeader(name, start)` calls `start` each time this
 * node becomes the leader and the stop it returns when it stops being one (lock lost,
 * database away, shutdown). While not leading, a node keeps trying to take over.
 */
export abstract class Leader {
	private tasks: { name: string; start: Start; stop?: Stop }[] = [];
	private leading = false;
	protected closed = false;
	private readonly listeners: ((leading: boolean) => void)[] = [];

	constructor(protected readonly log: Logger) {}

	get isLeader(): boolean {
		return this.leading;
	}

	/** Told true when this node takes the lead and false when it loses it. */
	onChange(listener: (leading: boolean) => void): void {
		this.listeners.push(listener);
	}

	whileLeader(name: string, start: Start): void {
		const task: { name: string; start: Start; stop?: Stop } = { name, start };
		this.tasks.push(task);
		if (this.leading) void this.startTask(task);
	}

	abstract start(): void;

	async close(): Promise<void> {
		this.closed = true;
		await this.release();
	}

	protected acquired(): void {
		if (this.leading || this.closed) return;
		this.leading = true;
		this.log.info('this node is now the leader (runs detectors, probes and the simulator)');
		for (const l of this.listeners) l(true);
		for (const task of this.tasks) void this.startTask(task);
	}

	protected async release(): Promise<void> {
		if (!this.leading) return;
		this.leading = false;
		if (!this.closed) this.log.warn('this node is no longer the leader');
		for (const l of this.listeners) l(false);
		await Promise.all(
			this.tasks.map(async (task) => {
				const stop = task.stop;
				task.stop = undefined;
				try {
					await stop?.();
				} catch (err) {
					this.log.error({ err, task: task.name }, 'leader task failed to stop');
				}
			})
		);
	}

	private async startTask(task: { name: string; start: Start; stop?: Stop }): Promise<void> {
		try {
			const stop = await task.start();
			if (!stop) return;
			// The lead may have been lost while the task was starting.
			if (this.leading) task.stop = stop;
			else await stop();
		} catch (err) {
			this.log.error({ err, task: task.name }, 'leader task failed to start');
		}
	}
}

/** The embedded database serves one process: it always leads. */
export class SoleLeader extends Leader {
	start(): void {
		this.acquired();
	}
}

/**
 * Leadership by pg_try_advisory_lock on a dedicated connection. The lock belongs to that
 * connection: when the leading process dies, PostgreSQL drops the connection and the lock
 * with it, and the next node to try takes over. The connection is checked every
 * `checkMs`; a node that cannot check it stops leading.
 */
export class AdvisoryLeader extends Leader {
	private client: pg.Client | undefined;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly url: string,
		log: Logger,
		/** How often a follower tries to take over, and the leader checks its connection. */
		private readonly checkMs = 3000
	) {
		super(log);
	}

	start(): void {
		void this.step();
	}

	override async close(): Promise<void> {
		clearTimeout(this.timer);
		await super.close();
		const client = this.client;
		this.client = undefined;
		// Closing the connection releases the lock at once for the next node.
		await client?.end().catch(() => {});
	}

	private async step(): Promise<void> {
		if (this.closed) return;
		try {
			const client = this.client ?? (await this.connect());
			if (this.isLeader) {
				await client.query('select 1');
			} else {
				const { rows } = await client.query<{ ok: boolean }>(
					'select pg_try_advisory_lock($1, $2) as ok',
					[...LEADER_LOCK]
				);
				if (rows[0]?.ok) this.acquired();
			}
		} catch (err) {
			this.log.warn({ error: (err as Error).message }, 'leader lock connection failed; retrying');
			await this.drop();
		}
		if (!this.closed) this.timer = setTimeout(() => void this.step(), this.checkMs);
	}

	private async connect(): Promise<pg.Client> {
		const client = createClusterClient(this.url, this.log);
		client.on('end', () => {
			if (this.client === client) void this.drop();
		});
		try {
			await client.connect();
		} catch (err) {
			await client.end().catch(() => {});
			throw err;
		}
		this.client = client;
		return client;
	}

	/** The connection (and so the lock) is gone or cannot be trusted: stop leading. */
	private async drop(): Promise<void> {
		const client = this.client;
		this.client = undefined;
		await this.release();
		await client?.end().catch(() => {});
	}
}
