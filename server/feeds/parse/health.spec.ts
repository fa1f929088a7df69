import { describe, expect, it } from 'vitest';
import { parseHealthSamples } from './health';

const opts = { timeZone: 'Asia/Kolkata' };
const sample = { target: 'cowin-api', at: '2021-01-16T04:30:00Z', ok: true };

describe('parseHealthSamples', () => {
	it('normalises samples', () => {
		const r = parseHealthSamples(
			[
				{ ...sample, latencyMs: 250.5, detail: 'HTTP 200' },
				{ ...sample, ok: false, latencyMs: 0 }
			],
			opts
		);
		expect(r.rejected).toEqual([]);
		expect(r.items.map((i) => i.value)).toEqual([
			{
				target: 'cowin-api',
				at: new Date('2021-01-16T04:30:00Z'),
				ok: true,
				latencyMs: 250.5,
				detail: 'HTTP 200'
			},
			{
				target: 'cowin-api',
				at: new Date('2021-01-16T04:30:00Z'),
				ok: false,
				latencyMs: 0,
				detail: null
			}
		]);
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[{ ...sample, ok: undefined }, 'ok: required'],
			[{ ...sample, ok: 'pass' }, 'ok: must be true or false, got "pass"'],
			[{ ...sample, latencyMs: -3 }, 'latencyMs: must be a non-negative number, got -3'],
			[{ ...sample, latencyMs: '250' }, 'latencyMs: must be a number of milliseconds, got "250"'],
			[
				{ ...sample, target: undefined, at: 'now' },
				'target: required; at: must be ISO-8601 with a UTC offset, got "now"'
			]
		];
		const r = parseHealthSamples(
			cases.map(([b]) => b),
			opts
		);
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
	});

	it('refuses a body that is not an array', () => {
		expect(() => parseHealthSamples(sample, opts)).toThrow('expected a JSON array of HealthSample');
	});
});
