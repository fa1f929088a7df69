import { describe, expect, it } from 'vitest';
import {
	buildTimeline,
	HEALTH_INCIDENT,
	latencySeries,
	percentile,
	sampleStats,
	sampleStatus,
	worstStatus,
	type TimelineAlert
} from './health';

describe('percentile', () => {
	it('interpolates between ranks as percentile_cont does', () => {
		const v = [100, 200, 300, 400];
		expect(percentile(v, 0.5)).toBe(250);
		expect(percentile(v, 0.95)).toBeCloseTo(385, 10);
		expect(percentile(v, 0)).toBe(100);
		expect(percentile(v, 1)).toBe(400);
	});

	it('gives the value itself for one value and null for none', () => {
		expect(percentile([42], 0.95)).toBe(42);
		expect(percentile([], 0.5)).toBeNull();
	});

	it('is exact on a rank', () => {
		// 21 values 0..20: p95 falls on rank 19 exactly.
		expect(percentile([...Array(21).keys()], 0.95)).toBe(19);
	});
});

describe('sampleStatus and worstStatus', () => {
	it('down when failed, degraded above 2 s, else up', () => {
		expect(sampleStatus(false, 100)).toBe('down');
		expect(sampleStatus(true, 2000)).toBe('up');
		expect(sampleStatus(true, 2001)).toBe('degraded');
		expect(sampleStatus(true, null)).toBe('up');
	});

	it('takes the worst known status; unknown only when nothing is known', () => {
		expect(worstStatus(['up', 'degraded', 'unknown'])).toBe('degraded');
		expect(worstStatus(['up', 'down', 'degraded'])).toBe('down');
		expect(worstStatus(['unknown'])).toBe('unknown');
		expect(worstStatus([])).toBe('unknown');
	});
});

describe('sampleStats', () => {
	it('counts failures and leaves them out of the latency percentiles', () => {
		const stats = sampleStats([
			{ atMs: 0, ok: true, latencyMs: 100 },
			{ atMs: 1, ok: true, latencyMs: 300 },
			{ atMs: 2, ok: false, latencyMs: 10_000 },
			{ atMs: 3, ok: false, latencyMs: null }
		]);
		expect(stats).toEqual({ samples: 4, failures: 2, errorRate: 0.5, p50Ms: 200, p95Ms: 290 });
	});

	it('has no rate or percentiles without samples', () => {
		expect(sampleStats([])).toEqual({
			samples: 0,
			failures: 0,
			errorRate: null,
			p50Ms: null,
			p95Ms: null
		});
	});
});

describe('latencySeries', () => {
	it('buckets samples by start time and keeps empty buckets as gaps', () => {
		const series = latencySeries(
			[
				{ atMs: 0, ok: true, latencyMs: 100 },
				{ atMs: 59_999, ok: true, latencyMs: 300 },
				{ atMs: 120_000, ok: false, latencyMs: null },
				{ atMs: 180_000, ok: true, latencyMs: 999 } // at the end: outside [from, to)
			],
			{ fromMs: 0, toMs: 180_000, bucketMs: 60_000 }
		);
		expect(series.map((p) => [p.atMs, p.samples, p.failures, p.p50Ms])).toEqual([
			[0, 2, 0, 200],
			[60_000, 0, 0, null],
			[120_000, 1, 1, null]
		]);
	});
});

describe('buildTimeline', () => {
	const at = (min: number) => new Date(Date.UTC(2021, 0, 16, 4, min)).toISOString();
	const ms = (min: number) => Date.UTC(2021, 0, 16, 4, min);
	const alert = (a: Partial<TimelineAlert> & { id: string; kind: string }): TimelineAlert => ({
		status: 'resolved',
		openedAt: at(10),
		closedAt: null,
		districtCode: null,
		siteCode: null,
		summary: a.id,
		target: null,
		severity: null,
		...a
	});

	it('puts health incidents first, then SMS spikes, then stalled sites as a count', () => {
		const timeline = buildTimeline(
			[
				alert({ id: 's1', kind: 'site_stalled', openedAt: at(12), closedAt: at(20) }),
				alert({ id: 's2', kind: 'site_stalled', openedAt: at(14) }),
				alert({ id: 'sms', kind: 'sms_failure_spike', openedAt: at(11), closedAt: at(25) }),
				alert({
					id: 'i1',
					kind: HEALTH_INCIDENT,
					target: 'national-server',
					severity: 'degraded',
					openedAt: at(5),
					closedAt: at(30)
				}),
				alert({ id: 'c', kind: 'complaint_spike', openedAt: at(15) })
			],
			{ fromMs: ms(0), toMs: ms(60) }
		);
		expect(timeline.lanes.map((l) => l.label)).toEqual([
			'National server (CoWIN)',
			'SMS failure spikes',
			'Stalled sites',
			'Complaint spikes'
		]);
		expect(timeline.lanes[0].bars).toEqual([
			{ id: 'i1', fromMs: ms(5), toMs: ms(30), severity: 'degraded', summary: 'i1' }
		]);
		expect(timeline.lanes[2].bars).toEqual([]);
		expect(timeline.lanes[2].counts).toEqual([
			{ atMs: ms(0), open: 0 },
			{ atMs: ms(12), open: 1 },
			{ atMs: ms(14), open: 2 },
			{ atMs: ms(20), open: 1 }
		]);
	});

	it('leaves out alerts outside the range and counts those open before it from its start', () => {
		const timeline = buildTimeline(
			[
				alert({ id: 'old', kind: 'sms_failure_spike', openedAt: at(0), closedAt: at(5) }),
				alert({ id: 'early', kind: 'site_stalled', openedAt: at(1) }),
				alert({ id: 'later', kind: 'site_stalled', openedAt: at(59) })
			],
			{ fromMs: ms(10), toMs: ms(30) }
		);
		expect(timeline.lanes.map((l) => l.key)).toEqual(['site_stalled']);
		expect(timeline.lanes[0].counts).toEqual([{ atMs: ms(10), open: 1 }]);
	});
});
