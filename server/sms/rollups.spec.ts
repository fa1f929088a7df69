import { describe, expect, it } from 'vitest';
import { SmsRollupDelta } from './rollups';

const IST = 'Asia/Kolkata';
const t = (iso: string) => Date.parse(iso);
const districts: Record<string, string> = { P1: '521', N1: '505' };

describe('SMS rollup increments', () => {
	it('counts a new message as pending on its local day and minute', () => {
		// 20:00 UTC is 01:30 the next day in India.
		const rows = new SmsRollupDelta(IST, (s) => districts[s])
			.added('P1', t('2021-01-15T20:00:30Z'))
			.rows();
		expect(rows.siteDays).toEqual([
			{ day: '2021-01-16', siteCode: 'P1', outcome: 'pending', reason: '', messages: 1 }
		]);
		expect(rows.pendingMinutes).toEqual([
			{ minute: new Date('2021-01-15T20:00:00Z'), districtCode: '521', messages: 1 }
		]);
		expect(rows.outcomeBuckets).toEqual([]);
	});

	it('moves a message from pending to failed, by report time in 5-minute buckets', () => {
		const sent = t('2021-01-16T03:30:00Z');
		const rows = new SmsRollupDelta(IST, (s) => districts[s])
			.added('N1', sent)
			.moved({
				siteCode: 'N1',
				sentAtMs: sent,
				from: 'queued',
				to: 'undelivered',
				fromGroup: null,
				toGroup: 'invalid_number',
				fromAtMs: null,
				toAtMs: t('2021-01-16T03:37:12Z')
			})
			.rows();
		// Inserted and moved in one batch: only where it ended up.
		expect(rows.siteDays).toEqual([
			{
				day: '2021-01-16',
				siteCode: 'N1',
				outcome: 'failed',
				reason: 'invalid_number',
				messages: 1
			}
		]);
		expect(rows.pendingMinutes).toEqual([]);
		expect(rows.outcomeBuckets).toEqual([
			{
				bucket: new Date('2021-01-16T03:35:00Z'),
				districtCode: '505',
				outcome: 'failed',
				reason: 'invalid_number',
				messages: 1
			}
		]);
	});

	it('moves a final outcome out of its old bucket when a later report wins', () => {
		const rows = new SmsRollupDelta(IST, (s) => districts[s])
			.moved({
				siteCode: 'P1',
				sentAtMs: t('2021-01-16T03:30:00Z'),
				from: 'failed',
				to: 'delivered',
				fromGroup: null,
				toGroup: null,
				fromAtMs: t('2021-01-16T03:31:00Z'),
				toAtMs: t('2021-01-16T03:52:00Z')
			})
			.rows();
		// Rows come in no particular order.
		const byOutcome = (a: { outcome: string }, b: { outcome: string }) =>
			a.outcome < b.outcome ? -1 : 1;
		expect(rows.siteDays.sort(byOutcome)).toEqual([
			{ day: '2021-01-16', siteCode: 'P1', outcome: 'delivered', reason: '', messages: 1 },
			{ day: '2021-01-16', siteCode: 'P1', outcome: 'failed', reason: 'unknown', messages: -1 }
		]);
		expect(
			rows.outcomeBuckets
				.sort(byOutcome)
				.map((b) => [b.bucket.toISOString(), b.outcome, b.messages])
		).toEqual([
			['2021-01-16T03:50:00.000Z', 'delivered', 1],
			['2021-01-16T03:30:00.000Z', 'failed', -1]
		]);
	});
});
