import { describe, expect, it } from 'vitest';
import { LiveState } from '../live/state';
import { DeltaStreams } from './streams';

const now = new Date('2021-01-16T05:30:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);

function setup() {
	const live = new LiveState({
		timeZone: 'Asia/Kolkata',
		thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
		simulated: false
	});
	live.load(
		{
			districts: [{ code: '521', name: 'Pune' }],
			sites: [],
			sessions: [],
			rollups: [],
			lastDoses: new Map(),
			sms: [],
			health: [],
			alerts: []
		},
		now
	);
	const streams = new DeltaStreams(live, 600, 2000);
	const all = streams.streamFor(null);
	streams.tick(now); // the first tick after start-up is a keep-alive
	return { live, streams, all };
}

describe('DeltaStreams keep-alives', () => {
	it('sends an empty delta with the next seq after 2 s with nothing to say, not before', () => {
		const { streams, all } = setup();
		const seq = all.seq;
		expect(streams.tick(at(1000))).toEqual([]);
		const [sent] = streams.tick(at(2000));
		expect(sent.delta).toMatchObject({ seq: seq + 1, totals: { dosesToday: 0 } });
		expect(Object.keys(sent.delta).sort()).toEqual(['at', 'day', 'epoch', 'seq', 'totals']);
		expect(all.since(seq)).toEqual([sent.delta]);
	});

	it('sends no keep-alive while holding, but still sends real changes', () => {
		const { live, streams } = setup();
		streams.holding = true;
		expect(streams.tick(at(5000))).toEqual([]);
		live.setHealth({
			target: 'command-centre-database',
			status: 'down',
			latencyMs: null,
			at: now.toISOString()
		});
		const [sent] = streams.tick(at(6000));
		expect(sent.delta.health).toEqual([expect.objectContaining({ status: 'down' })]);
		streams.holding = false;
		expect(streams.tick(at(9000))).toHaveLength(1);
	});

	it('starts a new epoch on reset, so old positions cannot resume into the new streams', () => {
		const { streams } = setup();
		const before = streams.epoch;
		streams.reset();
		expect(streams.epoch).not.toBe(before);
		expect(streams.streamFor(null).seq).toBe(0);
	});
});
