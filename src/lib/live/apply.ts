import type { Delta, Snapshot } from '$lib/shared/live';

/**
 * How an incoming delta relates to the state held: the next one in order, one already
 * applied (a replay after resume), one from another server stream, or one after a gap.
 */
export type DeltaOrder = 'next' | 'old' | 'epoch' | 'gap';

export function deltaOrder(state: Pick<Snapshot, 'seq' | 'epoch'>, delta: Delta): DeltaOrder {
	if (delta.epoch !== state.epoch) return 'epoch';
	if (delta.seq <= state.seq) return 'old';
	if (delta.seq === state.seq + 1) return 'next';
	return 'gap';
}

/** Replace entries by key, appending the ones not yet held; order of the rest is kept. */
function replaceByKey<T, K extends keyof T>(list: T[], changed: T[] | undefined, key: K): T[] {
	if (!changed || changed.length === 0) return list;
	const index = new Map<T[K], number>();
	for (let i = 0; i < list.length; i++) index.set(list[i][key], i);
	const next = list.slice();
	for (const item of changed) {
		const i = index.get(item[key]);
		if (i === undefined) {
			index.set(item[key], next.length);
			next.push(item);
		} else {
			next[i] = item;
		}
	}
	return next;
}

/**
 * The state after a delta, as a new object. Lists the delta does not touch keep their
 * identity, so views derived from them (10,000 sites) are not recomputed needlessly.
 * The caller checks order first (deltaOrder); this only merges.
 */
export function applyDelta(state: Snapshot, delta: Delta): Snapshot {
	let alerts = replaceByKey(state.alerts, delta.alerts, 'id');
	if (delta.alertsClosed && delta.alertsClosed.length > 0) {
		const closed = new Set(delta.alertsClosed);
		alerts = alerts.filter((a) => !closed.has(a.id));
	}
	return {
		...state,
		seq: delta.seq,
		at: delta.at,
		day: delta.day,
		totals: delta.totals,
		districts: replaceByKey(state.districts, delta.districts, 'code'),
		sites: replaceByKey(state.sites, delta.sites, 'code'),
		health: replaceByKey(state.health, delta.health, 'target'),
		alerts
	};
}
