import { describe, expect, it } from 'vitest';
import { parseHeartbeats } from './heartbeats';

const opts = { timeZone: 'Asia/Kolkata' };
const beat = { siteCode: 'KA-BLR-0042', at: '2021-01-16T10:00:00+05:30' };

describe('parseHeartbeats', () => {
	it('normalises heartbeats; device defaults to an empty string', () => {
		const r = parseHeartbeats([{ ...beat, device: 'tablet-2', pendingUploads: 3 }, beat], opts);
		expect(r.rejected).toEqual([]);
		expect(r.items.map((i) => i.value)).toEqual([
			{
				siteCode: 'KA-BLR-0042',
				at: new Date('2021-01-16T04:30:00Z'),
				device: 'tablet-2',
				pendingUploads: 3
			},
			{
				siteCode: 'KA-BLR-0042',
				at: new Date('2021-01-16T04:30:00Z'),
				device: '',
				pendingUploads: null
			}
		]);
	});

	it('accepts zero pending uploads', () => {
		expect(
			parseHeartbeats([{ ...beat, pendingUploads: 0 }], opts).items[0].value.pendingUploads
		).toBe(0);
	});

	it('rejects each rule with a specific reason', () => {
		const cases: [unknown, string][] = [
			[
				{ ...beat, pendingUploads: -1 },
				'pendingUploads: must be an integer from 0 to 10000000, got -1'
			],
			[
				{ ...beat, pendingUploads: 2.5 },
				'pendingUploads: must be an integer from 0 to 10000000, got 2.5'
			],
			[
				{ ...beat, at: '2021-01-16T10:00:00' },
				'at: must be ISO-8601 with a UTC offset, got "2021-01-16T10:00:00"'
			],
			[{ at: beat.at }, 'siteCode: required']
		];
		const r = parseHeartbeats(
			cases.map(([b]) => b),
			opts
		);
		expect(r.items).toEqual([]);
		expect(r.rejected.map(({ index, error }) => ({ index, error }))).toEqual(
			cases.map(([, error], index) => ({ index, error }))
		);
	});

	it('refuses a body that is not an array', () => {
		expect(() => parseHeartbeats(beat, opts)).toThrow('expected a JSON array of Heartbeat');
	});
});
