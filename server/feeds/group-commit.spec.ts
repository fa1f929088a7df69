import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
	it('writes requests that arrive together in one batch and answers each', async () => {
		const batches: number[][] = [];
		const gc = new GroupCommit<number, number>(async (reqs) => {
			batches.push(reqs);
			return reqs.map((r) => r * 10);
		});
		const answers = await Promise.all([gc.submit(1, 1), gc.submit(2, 1), gc.submit(3, 1)]);
		expect(answers).toEqual([10, 20, 30]);
		expect(batches).toEqual([[1, 2, 3]]);
	});

	it('queues requests behind a running write and caps a batch by item count', async () => {
		const batches: number[][] = [];
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const gc = new GroupCommit<number, number>(async (reqs) => {
			batches.push(reqs);
			if (batches.length === 1) await gate;
			return reqs;
		}, 10);
		const first = gc.submit(0, 4);
		await new Promise((r) => setImmediate(r));
		const rest = [gc.submit(1, 6), gc.submit(2, 6), gc.submit(3, 4)];
		release();
		await Promise.all([first, ...rest]);
		expect(batches).toEqual([[0], [1], [2, 3]]);
	});

	it('fails every request of a failed batch and keeps serving later ones', async () => {
		let fail = true;
		const gc = new GroupCommit<number, number>(async (reqs) => {
			if (fail) throw new Error('database away');
			return reqs;
		});
		const failed = await Promise.allSettled([gc.submit(1, 1), gc.submit(2, 1)]);
		expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
		fail = false;
		await expect(gc.submit(3, 1)).resolves.toBe(3);
	});
});

describe('GroupCommit with two lanes', () => {
	it('starts a second transaction only when half a full batch is waiting', async () => {
		const batches: number[][] = [];
		let inFlight = 0;
		let most = 0;
		const gates: (() => void)[] = [];
		const gc = new GroupCommit<number, number>(
			async (reqs) => {
				batches.push(reqs);
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise<void>((r) => gates.push(r));
				inFlight--;
				return reqs;
			},
			10,
			2
		);
		const first = gc.submit(0, 1);
		await new Promise((r) => setImmediate(r));
		// Too little waiting: no second lane yet.
		const small = gc.submit(1, 2);
		await new Promise((r) => setImmediate(r));
		expect(batches).toEqual([[0]]);
		// Now half a batch waits: the second lane starts with all of it.
		const big = gc.submit(2, 4);
		await new Promise((r) => setImmediate(r));
		expect(batches).toEqual([[0], [1, 2]]);
		while (gates.length) gates.shift()!();
		await Promise.all([first, small, big]);
		expect(most).toBe(2);
	});
});
