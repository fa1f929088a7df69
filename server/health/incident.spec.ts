import { describe, expect, it } from 'vitest';
import type { HealthStatus } from '../../src/lib/shared/live';
import { decideIncident, type IncidentRule, type RuleSample } from './incident';

const rule: IncidentRule = {
	openAfter: 2,
	closeAfter: 3,
	errorRate: 0.5,
	errorWindowMs: 300_000,
	errorMinSamples: 4
};
const t0 = Date.parse('2021-01-16T04:30:00Z');
const S = 30_000; // one sample every 30 s

/** Samples every 30 s from t0, one per status letter: u(p), d(egraded), x (down). */
function run(pattern: string): RuleSample[] {
	const status: Record<string, HealthStatus> = { u: 'up', d: 'degraded', x: 'down' };
	return [...pattern].map((c, i) => ({
		atMs: t0 + i * S,
		status: status[c],
		latencyMs: c === 'd' ? 2500 : c === 'u' ? 200 : null,
		detail: c === 'x' ? 'HTTP 500, expected 200' : null
	}));
}
const endOf = (samples: RuleSample[]) => samples.at(-1)!.atMs;
const decide = (pattern: string, open: 'degraded' | 'down' | null = null, r = rule) => {
	const samples = run(pattern);
	return decideIncident(samples, open ? { severity: open } : null, r, endOf(samples));
};

describe('decideIncident: opening', () => {
	it('does nothing without samples or while all is up', () => {
		expect(decideIncident([], null, rule, t0)).toEqual({ kind: 'none' });
		expect(decide('uuuuu')).toEqual({ kind: 'none' });
	});

	it('does not open on fewer bad samples in a row than the threshold', () => {
		expect(decide('uuuud')).toEqual({ kind: 'none' });
		expect(decide('uudud')).toEqual({ kind: 'none' });
	});

	it('opens at exactly the threshold, dated at the sample where it first held', () => {
		const d = decide('uuudd');
		expect(d).toMatchObject({
			kind: 'open',
			severity: 'degraded',
			atMs: t0 + 4 * S,
			sinceMs: t0 + 3 * S
		});
		expect(d.kind === 'open' && d.reason).toBe('2 slow answers in a row (latest 2.5 s)');
	});

	it('dates the opening at the threshold sample even when evaluated later', () => {
		expect(decide('uudddd')).toMatchObject({ kind: 'open', atMs: t0 + 3 * S, sinceMs: t0 + 2 * S });
	});

	it('calls a run with a failure in it down', () => {
		const d = decide('uudx');
		expect(d).toMatchObject({ kind: 'open', severity: 'down' });
		expect(d.kind === 'open' && d.reason).toBe('2 failed checks in a row (HTTP 500, expected 200)');
	});

	it('opens on the error rate over the window even without a run', () => {
		// u x u x: never two bad in a row, but half the checks failed once four are in.
		const d = decide('uxux');
		expect(d).toMatchObject({ kind: 'open', severity: 'down', atMs: t0 + 3 * S, sinceMs: t0 + S });
		expect(d.kind === 'open' && d.reason).toBe('50% of checks failed in 5 min (2 of 4)');
		// One more good check and the rate is below the threshold again: nothing to open.
		expect(decide('uxuxu')).toEqual({ kind: 'none' });
	});

	it('needs the minimum number of samples in the window before the rate counts', () => {
		expect(decide('xux')).toEqual({ kind: 'none' });
		expect(decide('xux', null, { ...rule, errorMinSamples: 3 })).toMatchObject({ kind: 'open' });
	});

	it('dates a rate opening at the start of the current breach, not an earlier one', () => {
		// Breached at the 4th sample, cleared by good ones, breached again at the 20th:
		// the window of 10 then holds 5 failures of 10.
		const d = decide('uxux' + 'u'.repeat(11) + 'xxxxx', null, { ...rule, openAfter: 10 });
		expect(d).toMatchObject({ kind: 'open', atMs: t0 + 19 * S, sinceMs: t0 + 15 * S });
	});

	it('counts only the window for the error rate', () => {
		// The failures are more than 5 minutes old at the last sample.
		expect(decide('uxuxu' + 'u'.repeat(10))).toEqual({ kind: 'none' });
	});

	it('ignores unknown samples', () => {
		const samples = run('udd');
		samples.splice(2, 0, { atMs: t0 + 1.5 * S, status: 'unknown' });
		expect(decideIncident(samples, null, rule, endOf(samples))).toMatchObject({ kind: 'open' });
	});
});

describe('decideIncident: an open incident', () => {
	it('closes after the threshold of good samples in a row, dated at that sample', () => {
		expect(decide('dduu', 'degraded')).toEqual({ kind: 'none' });
		expect(decide('dduuu', 'degraded')).toEqual({
			kind: 'close',
			atMs: t0 + 4 * S,
			reason: '3 good checks in a row'
		});
	});

	it('stays open while the error rate is still high, however many good samples', () => {
		const r = { ...rule, errorRate: 0.4, closeAfter: 2 };
		expect(decide('xxxuu', 'down', r)).toEqual({ kind: 'none' });
		expect(decide('xxxuuu', 'down', r)).toEqual({ kind: 'none' }); // 3 of 6 failed
		// Once enough good samples have diluted the failures, it closes, dated at the sample
		// where the rate fell below the threshold (3 of 8), not where the run reached 2.
		expect(decide('xxxuuuuu', 'down', r)).toEqual({
			kind: 'close',
			atMs: t0 + 7 * S,
			reason: '5 good checks in a row'
		});
	});

	it('escalates from degraded to down when checks start failing', () => {
		expect(decide('ddx', 'degraded')).toMatchObject({ kind: 'escalate', severity: 'down' });
	});

	it('never de-escalates: a down incident with slow answers stays as it is', () => {
		expect(decide('xxd', 'down')).toEqual({ kind: 'none' });
		expect(decide('ddd', 'degraded')).toEqual({ kind: 'none' });
	});

	it('does not reopen right after closing', () => {
		expect(decide('dduuu')).toEqual({ kind: 'none' });
	});
});
