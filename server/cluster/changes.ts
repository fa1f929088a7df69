import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { LiveChange } from '../live/change';
import type { Logger } from '../log';
import { createClusterClient } from './pg';

/** The NOTIFY channel that carries committed live changes between nodes. */
export const CHANGE_CHANNEL = 'cc_live_change';
/**
 * The NOTIFY channel on which a process that changed data outside the feeds (an admin
 * command run straight against PostgreSQL) asks every node to read its live state again.
 * The payload is the reason, for the logs.
 */
export const RELOAD_CHANNEL = 'cc_live_reload';

/** NOTIFY payloads are at most 8,000 bytes; this leaves room for the transaction id. */
const MAX_PAYLOAD_BYTES = 7_900;
/** Dose minutes of one site per fragment when a site alone is too big for one payload. */
const PAIRS_PER_FRAGMENT = 300;

/** A name for this process among the nodes (logs, and to skip its own notifications). */
export function newNodeId(): string {
	return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

type Field = keyof LiveChange;
/** Fields that are objects keyed by site; the others are arrays. */
const keyed = new Set<Field>(['doses', 'lastDose', 'heartbeats', 'modes']);

/**
 * The change as NOTIFY payloads, `<node> <json>` each. A change too big for one payload is
 * split into parts that each apply on their own (every part of a change is an increment
 * or a latest-wins value, so parts need no reassembly). Built as text from small
 * fragments: this runs for every write batch.
 */
export function changePayloads(node: string, change: LiveChange): string[] {
	const limit = MAX_PAYLOAD_BYTES - Buffer.byteLength(node) - 1;
	// A change with hundreds of sites cannot fit: do not serialise it whole to find out.
	const sites = change.doses ? Object.keys(change.doses).length : 0;
	if (sites * 16 < limit) {
		const whole = JSON.stringify(change);
		if (Buffer.byteLength(whole) <= limit) return [`${node} ${whole}`];
	}
	const payloads: string[] = [];
	let part = new Map<Field, string[]>();
	let size = 2;
	const flush = () => {
		if (part.size === 0) return;
		const fields = [...part].map(([field, frags]) =>
			keyed.has(field) ? `"${field}":{${frags.join(',')}}` : `"${field}":[${frags.join(',')}]`
		);
		payloads.push(`${node} {${fields.join(',')}}`);
		part = new Map();
		size = 2;
	};
	const put = (field: Field, fragment: string) => {
		const frags = part.get(field);
		// A field's first fragment also brings its name and brackets.
		const extra = Buffer.byteLength(fragment) + (frags ? 1 : field.length + 6);
		if (size + extra > limit) flush();
		const into = part.get(field);
		if (into) into.push(fragment);
		else part.set(field, [fragment]);
		size += Buffer.byteLength(fragment) + (into ? 1 : field.length + 6);
	};
	for (const [site, pairs] of Object.entries(change.doses ?? {})) {
		const key = JSON.stringify(site);
		for (let i = 0; i < pairs.length; i += PAIRS_PER_FRAGMENT * 2) {
			// Two fragments of one site in one part would be one key twice: the second wins.
			if (i > 0) flush();
			put('doses', `${key}:[${pairs.slice(i, i + PAIRS_PER_FRAGMENT * 2).join(',')}]`);
		}
	}
	for (const field of ['lastDose', 'heartbeats', 'modes'] as const) {
		for (const [site, value] of Object.entries(change[field] ?? {})) {
			put(field, `${JSON.stringify(site)}:${JSON.stringify(value)}`);
		}
	}
	for (const field of ['sites', 'sessions', 'sms', 'health', 'alerts', 'alertsClosed'] as const) {
		for (const item of change[field] ?? []) put(field, JSON.stringify(item));
	}
	flush();
	return payloads;
}

/** A received payload: `<transaction id> <node> <json>`. */
export function readPayload(
	payload: string
): { tx: string; node: string; change: LiveChange } | null {
	const a = payload.indexOf(' ');
	const b = payload.indexOf(' ', a + 1);
	if (a < 0 || b < 0) return null;
	try {
		return {
			tx: payload.slice(0, a),
			node: payload.slice(a + 1, b),
			change: JSON.parse(payload.slice(b + 1)) as LiveChange
		};
	} catch {
		return null; // not one of ours (someone else NOTIFYing on the channel): ignore it
	}
}

export interface ChangeListenerDeps {
	url: string;
	/** This node: its own changes are applied locally already. */
	node: string;
	log: Logger;
	onChange(tx: string, change: LiveChange): void;
	/** Someone asked every node to rebuild its live state (`reason` for the logs). */
	onReloadRequest(reason: string): void;
	/**
	 * Called each time LISTEN is (re)established. After the first time, notifications sent
	 * while the connection was down are lost: the live state must be rebuilt.
	 */
	onListen(again: boolean): void;
	retryMs?: number;
}

/**
 * Hears the other nodes' committed changes on a dedicated connection, reconnecting by
 * itself; the connection is checked every few seconds so a silent one is noticed.
 */
export class ChangeListener {
	private client: pg.Client | undefined;
	private timer: NodeJS.Timeout | undefined;
	private closed = false;
	private listened = 0;

	constructor(private readonly deps: ChangeListenerDeps) {}

	/** Resolves once listening (or after the first attempt failed; it keeps retrying). */
	async start(): Promise<void> {
		await this.step();
	}

	get listening(): boolean {
		return this.client !== undefined;
	}

	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.timer);
		const client = this.client;
		this.client = undefined;
		await client?.end().catch(() => {});
	}

	private async step(): Promise<void> {
		if (this.closed) return;
		try {
			if (this.client) await this.client.query('select 1');
			else await this.connect();
		} catch (err) {
			this.deps.log.warn(
				{ error: (err as Error).message },
				'change listener connection failed; retrying'
			);
			const client = this.client;
			this.client = undefined;
			await client?.end().catch(() => {});
		}
		if (!this.closed) {
			const wait = this.client ? 5000 : (this.deps.retryMs ?? 1000);
			this.timer = setTimeout(() => void this.step(), wait);
		}
	}

	private async connect(): Promise<void> {
		const client = createClusterClient(this.deps.url, this.deps.log);
		client.on('notification', (msg) => {
			if (msg.channel === RELOAD_CHANNEL) {
				this.deps.onReloadRequest(msg.payload || 'asked');
				return;
			}
			if (msg.channel !== CHANGE_CHANNEL || !msg.payload) return;
			const read = readPayload(msg.payload);
			if (!read || read.node === this.deps.node) return;
			try {
				this.deps.onChange(read.tx, read.change);
			} catch (err) {
				this.deps.log.error({ err }, 'applying a change from another node failed');
			}
		});
		client.on('end', () => {
			if (this.client !== client) return;
			this.client = undefined;
			clearTimeout(this.timer);
			if (!this.closed) this.timer = setTimeout(() => void this.step(), this.deps.retryMs ?? 1000);
		});
		try {
			await client.connect();
			await client.query(`listen ${CHANGE_CHANNEL}; listen ${RELOAD_CHANNEL}`);
		} catch (err) {
			await client.end().catch(() => {});
			throw err;
		}
		this.client = client;
		this.deps.onListen(this.listened++ > 0);
	}
}
