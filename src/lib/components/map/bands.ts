/**
 * How a district is coloured on the map: its throughput as a share of what was planned,
 * in five bands of a light-to-dark yellow–green ramp (ColorBrewer YlGn, which stays ordered
 * by lightness for every common colour-vision deficiency), and a hatched grey where nothing
 * was planned. Every band has a label, shown in the legend and in the table beside the map.
 */
import type { DistrictLive } from '$lib/shared/live';

/** What the fill measures. */
export type MapMetric = 'hour' | 'target' | 'sms';

export const metricLabels: Record<MapMetric, { short: string; long: string }> = {
	hour: {
		short: 'Last hour',
		long: 'Doses in the last hour against the capacity of the sessions open now'
	},
	target: {
		short: "Today's target",
		long: "Doses today against today's target (the capacity of all of today's sessions)"
	},
	sms: {
		short: 'SMS delivered',
		long: "Share of today's SMS delivered (failed messages and those with no report count against it)"
	}
};

/** Band index: 0–4 by share, or NONE when nothing was planned. */
export const NONE = -1;

/** Lower bounds of each band, as a share (0.25 = 25 %), per measure. */
export const bandFloors: Record<MapMetric, readonly number[]> = {
	hour: [0, 0.25, 0.5, 0.75, 1],
	target: [0, 0.25, 0.5, 0.75, 1],
	// Delivery is normally high: the bands separate good from worrying, not 0 from 50 %.
	sms: [0, 0.5, 0.75, 0.9, 0.98]
};

export const bandColours = ['#ffffcc', '#c2e699', '#78c679', '#31a354', '#006837'] as const;
/** Text on each band's swatch: dark on the light ones, white on the dark ones. */
export const bandInk = ['#15191e', '#15191e', '#15191e', '#ffffff', '#ffffff'] as const;

export const noneColour = '#d5d9de';

export function bandLabel(band: number, metric: MapMetric): string {
	if (band === NONE) {
		return { hour: 'No session open', target: 'No sessions planned', sms: 'No SMS sent' }[metric];
	}
	const floors = bandFloors[metric];
	const pct = (x: number) => Math.round(x * 100);
	const what = metric === 'sms' ? 'delivered' : 'of plan';
	if (band === floors.length - 1) {
		return metric === 'sms'
			? `${pct(floors[band])} % delivered or more`
			: 'At or above plan (100 %+)';
	}
	return `${pct(floors[band])}–${pct(floors[band + 1])} % ${what}`;
}

export interface Throughput {
	/** Doses counted (last hour, or today), or SMS delivered. */
	done: number;
	/** What was planned for the same span, or SMS sent (0: nothing). */
	planned: number;
	/** done / planned, or null when nothing was planned. */
	share: number | null;
	band: number;
}

/** Today's SMS of a district, for the delivery measure. */
export interface SmsDelivery {
	sent: number;
	delivered: number;
}

export function throughput(
	d: DistrictLive,
	metric: MapMetric,
	sms?: Record<string, SmsDelivery>
): Throughput {
	let done: number;
	let planned: number;
	if (metric === 'sms') {
		done = sms?.[d.code]?.delivered ?? 0;
		planned = sms?.[d.code]?.sent ?? 0;
	} else {
		done = metric === 'hour' ? d.dosesLastHour : d.dosesToday;
		planned = metric === 'hour' ? d.capacityPerHour : d.plannedToday;
	}
	if (!(planned > 0)) return { done, planned: 0, share: null, band: NONE };
	const share = done / planned;
	const floors = bandFloors[metric];
	let band = 0;
	for (let b = floors.length - 1; b >= 0; b--) {
		if (share >= floors[b]) {
			band = b;
			break;
		}
	}
	return { done, planned, share, band };
}

/** "64 %", or a dash when nothing was planned. */
export function formatShare(share: number | null): string {
	if (share === null) return '—';
	return `${Math.round(share * 100)} %`;
}
