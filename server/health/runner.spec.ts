import { describe, expect, it } from 'vitest';
import type { ProbeTargetRow } from '../../src/lib/server/db/queries/health';
import { createLogger } from '../log';
import type { Clock } from './clock';
import type { ProbeSample } from './probe';
import { ProbeRunner } from './runner';

/** A clock the test moves by hand; timers fire only when it says. */
function manualClock() {
	let now = Date.parse('2021-01-16T04:30:00Z');
	let mono = 0;
	let nextId = 1;
	const timers = new Map<number, { at: number; run: () => void }>();
	const clock: Clock = {
		now: () => now,
		monotonic: () => mono,
		setTimeout: (run, ms) => {
			const id = nextId++;
			timers.set(id, { at: mono + ms, run });
			return id;
		},
		clearTimeout: (id) => void timers.delete(id as number)
	};
	return {
		clock,
		/** Pending timers, as delays from now. */
		pending: () => [...timers.values()].map((t) => t.at - mono),
		/** Move time on by `ms`, firing the timers that fall due. */
		async advance(ms: number) {
			const until = mono + ms;
			for (;;) {
				const due = [...timers.entries()]
					.filter(([, t]) => t.at <= until)
					.sort((a, b) => a[1].at - b[1].at)[0];
				if (!due) break;
				timers.delete(due[0]);
				if (due[1].at > mono) {
					now += due[1].at - mono;
					mono = due[1].at;
				}
				due[1].run();
				// Let the check and its recording finish (they are promises).
				for (let i = 0; i < 10; i++) await Promise.resolve();
			}
			// Checks may have spent time past `until` already.
			if (mono < until) {
				now += until - mono;
				mono = until;
			}
		},
		spend(ms: number) {
			mono += ms;
			now += ms;
		}
	};
}

const target = (over: Partial<ProbeTargetRow> = {}): ProbeTargetRow => ({
	id: '00000000-0000-4000-8000-000000000001',
	target: 'national-server',
	url: 'https://national.example/health',
	method: 'GET',
	expectStatus: 200,
	expectBody: null,
	timeoutMs: 5000,
	intervalSeconds: 30,
	enabled: true,
	updatedAt: new Date(0),
	updatedBy: null,
	...over
});

function setup(checkMs = 400) {
	const t = manualClock();
	const recorded: ProbeSample[] = [];
	const runner = new ProbeRunner({
		clock: t.clock,
		log: createLogger('silent'),
		record: async (s) => void recorded.push(s),
		probe: async (config) => {
			const at = new Date(t.clock.now()).toISOString();
			t.spend(checkMs); // the check takes this long
			return { target: config.target, at, ok: true, latencyMs: checkMs };
		}
	});
	return { t, runner, recorded };
}

describe('ProbeRunner', () => {
	it('checks at once, then every interval counted from the start of the last check', async () => {
		const { t, runner, recorded } = setup(400);
		runner.sync([target()]);
		await t.advance(0);
		expect(recorded).toHaveLength(1);
		// 30 s from the start of the check, 400 ms of which it took.
		expect(t.pending()).toEqual([29_600]);
		await t.advance(29_600);
		expect(recorded).toHaveLength(2);
		expect(Date.parse(recorded[1].at) - Date.parse(recorded[0].at)).toBe(30_000);
	});

	it('runs the next check at once when one took longer than the interval, never two at a time', async () => {
		const { t, runner, recorded } = setup(45_000);
		runner.sync([target()]);
		await t.advance(0);
		expect(recorded).toHaveLength(1);
		expect(t.pending()).toEqual([0]);
	});

	it('restarts a target whose settings changed and stops one removed or paused', async () => {
		const { t, runner, recorded } = setup();
		runner.sync([target(), target({ target: 'sms-gateway', id: 'x' })]);
		await t.advance(0);
		expect(runner.targets.sort()).toEqual(['national-server', 'sms-gateway']);
		expect(recorded).toHaveLength(2);

		runner.sync([
			target({ intervalSeconds: 10 }),
			target({ target: 'sms-gateway', id: 'x', enabled: false })
		]);
		expect(runner.targets).toEqual(['national-server']);
		await t.advance(0); // the restarted loop checks at once
		expect(recorded.map((s) => s.target)).toEqual([
			'national-server',
			'sms-gateway',
			'national-server'
		]);
		expect(t.pending()).toEqual([9_600]);

		// The same settings again change nothing.
		runner.sync([target({ intervalSeconds: 10 })]);
		expect(t.pending()).toEqual([9_600]);
	});

	it('stops every loop', async () => {
		const { t, runner, recorded } = setup();
		runner.sync([target()]);
		await t.advance(0);
		await runner.stop();
		expect(t.pending()).toEqual([]);
		await t.advance(60_000);
		expect(recorded).toHaveLength(1);
	});

	it('keeps going after a sample could not be recorded', async () => {
		const t = manualClock();
		let calls = 0;
		const runner = new ProbeRunner({
			clock: t.clock,
			log: createLogger('silent'),
			record: async () => {
				calls++;
				throw new Error('database away');
			},
			probe: async (c) => ({
				target: c.target,
				at: new Date(t.clock.now()).toISOString(),
				ok: true
			})
		});
		runner.sync([target()]);
		await t.advance(0);
		await t.advance(30_000);
		expect(calls).toBe(2);
	});
});
