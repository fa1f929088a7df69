/**
 * Which committed transactions a database snapshot already holds. The live state is
 * rebuilt from a snapshot while writes go on; a change whose transaction the snapshot
 * holds is already counted and must not be applied again, and one it does not hold must.
 * Text form of pg_current_snapshot(): 'xmin:xmax:xip1,xip2,…' (PostgreSQL docs, 9.27).
 */
export interface Snapshot {
	xmin: bigint;
	xmax: bigint;
	inProgress: Set<bigint>;
}

export function parseSnapshot(text: string): Snapshot {
	const [xmin, xmax, xip = ''] = text.split(':');
	return {
		xmin: BigInt(xmin),
		xmax: BigInt(xmax),
		inProgress: new Set(xip ? xip.split(',').map((x) => BigInt(x)) : [])
	};
}

/** True when the transaction `tx` had committed when the snapshot was taken. */
export function holds(snapshot: Snapshot, tx: string): boolean {
	const id = BigInt(tx);
	if (id < snapshot.xmin) return true;
	if (id >= snapshot.xmax) return false;
	return !snapshot.inProgress.has(id);
}
