/**
 * A small state for unit tests of the live picture: Pune (sites P1, P2) and Nagpur (N1),
 * all online, nothing else held unless the test gives it.
 */
import { LiveState, type LiveLoad } from '../../server/live/state';

export const TZ = 'Asia/Kolkata';
/** 11:00 IST on launch day. */
export const now = new Date('2021-01-16T05:30:00Z');

export function liveLoad(held: Partial<LiveLoad> = {}): LiveLoad {
	return {
		districts: [
			{ code: '521', name: 'Pune' },
			{ code: '505', name: 'Nagpur' }
		],
		sites: ['P1', 'P2', 'N1'].map((code) => ({
			code,
			name: code,
			districtCode: code.startsWith('P') ? '521' : '505',
			lat: null,
			lon: null,
			mode: 'online' as const,
			lastHeartbeatAt: null
		})),
		sessions: [],
		rollups: [],
		lastDoses: new Map(),
		sms: [],
		health: [],
		alerts: [],
		...held
	};
}

/** A live state with the usual thresholds (15 min stall, 30 min grace), holding `load` as of `now`. */
export function loadedLive(load: LiveLoad = liveLoad(), at = now): LiveState {
	const live = new LiveState({
		timeZone: TZ,
		thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
		simulated: false
	});
	live.load(load, at);
	return live;
}
