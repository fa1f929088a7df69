/**
 * The map's style: an offline base (a plain background, no tiles, no glyph server, no
 * sprite) and the product's sources and layers, which go on top of it or of an online
 * base style (MAP_STYLE_URL). Labels are drawn from the browser's own fonts: a style
 * without `glyphs` makes MapLibre (5.11 and later) render text locally with TinySDF.
 */
import type {
	DataDrivenPropertyValueSpecification,
	ExpressionSpecification,
	LayerSpecification,
	StyleSpecification
} from 'maplibre-gl';
import { siteStatuses } from '$lib/shared/live';
import { siteStatusRank } from '$lib/components/status/labels';
import { bandColours, NONE, noneColour } from './bands';

export const SOURCES = {
	districts: 'districts',
	labels: 'district-labels',
	sites: 'sites'
} as const;

export const LAYERS = {
	fill: 'district-fill',
	hatch: 'district-hatch',
	casing: 'district-casing',
	line: 'district-line',
	selected: 'district-selected',
	labels: 'district-labels',
	clusters: 'site-clusters',
	clusterCount: 'site-cluster-count',
	clusterStalled: 'site-cluster-stalled',
	sites: 'site-points'
} as const;

/** Local font names (weight read from the first); the browser's sans-serif at the end. */
const FONT = ['Noto Sans Bold', 'DejaVu Sans Bold', 'Liberation Sans Bold'];

export const INK = '#15191e';

/** Nothing but a background: no request leaves the machine. */
export function offlineStyle(): StyleSpecification {
	return {
		version: 8,
		name: 'Command centre (offline)',
		sources: {},
		layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#d9e1e8' } }]
	};
}

const band = ['coalesce', ['feature-state', 'band'], NONE] as ExpressionSpecification;

/** Status rank as a sort key: stalled drawn last, on top of everything else. */
const sortKey = [
	'match',
	['get', 'status'],
	...siteStatuses.flatMap((s) => [s, 10 - siteStatusRank[s]]),
	0
] as unknown as ExpressionSpecification;

export interface LayerOptions {
	/** Wall display: larger labels and markers, read from across a room. */
	wall: boolean;
	statusColours: Record<string, string>;
}

export function productLayers(options: LayerOptions): LayerSpecification[] {
	const k = options.wall ? 1.4 : 1;
	const stalledColour = options.statusColours.stalled;
	const fillColour = [
		'match',
		band,
		NONE,
		noneColour,
		...bandColours.flatMap((c, i) => [i, c]),
		noneColour
	] as unknown as DataDrivenPropertyValueSpecification<string>;
	return [
		{
			id: LAYERS.fill,
			type: 'fill',
			source: SOURCES.districts,
			paint: { 'fill-color': fillColour, 'fill-opacity': 0.92 }
		},
		{
			id: LAYERS.hatch,
			type: 'fill',
			source: SOURCES.districts,
			paint: {
				'fill-pattern': 'no-plan-hatch',
				'fill-opacity': ['case', ['==', band, NONE], 1, 0]
			}
		},
		{
			// A white casing under a dark line: borders show on the palest and darkest fills.
			id: LAYERS.casing,
			type: 'line',
			source: SOURCES.districts,
			paint: {
				'line-color': '#ffffff',
				'line-opacity': 0.85,
				'line-width': ['interpolate', ['linear'], ['zoom'], 5, 2.2 * k, 9, 4 * k]
			}
		},
		{
			id: LAYERS.line,
			type: 'line',
			source: SOURCES.districts,
			paint: {
				'line-color': '#3a424b',
				'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.7 * k, 9, 1.4 * k]
			}
		},
		{
			id: LAYERS.selected,
			type: 'line',
			source: SOURCES.districts,
			paint: {
				'line-color': INK,
				'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 4 * k, 0]
			}
		},
		{
			id: LAYERS.labels,
			type: 'symbol',
			source: SOURCES.labels,
			layout: {
				'text-field': [
					'format',
					['get', 'name'],
					{},
					'\n',
					{},
					['get', 'value'],
					{ 'font-scale': 0.85 }
				],
				'text-font': FONT,
				'text-size': ['interpolate', ['linear'], ['zoom'], 5, 11 * k, 8, 15 * k],
				'text-line-height': 1.15,
				'text-max-width': 9,
				'text-padding': 2,
				'symbol-sort-key': ['get', 'order']
			},
			paint: {
				'text-color': INK,
				'text-halo-color': 'rgba(255,255,255,0.92)',
				'text-halo-width': 1.6
			}
		},
		{
			id: LAYERS.clusters,
			type: 'circle',
			source: SOURCES.sites,
			filter: ['has', 'point_count'],
			paint: {
				'circle-color': '#ffffff',
				'circle-radius': [
					'step',
					['get', 'point_count'],
					12 * k,
					20,
					15 * k,
					100,
					19 * k,
					500,
					24 * k
				],
				'circle-stroke-width': ['case', ['>', ['get', 'stalled'], 0], 3.5, 2],
				'circle-stroke-color': ['case', ['>', ['get', 'stalled'], 0], stalledColour, '#47515c'],
				'circle-opacity': 0.95
			}
		},
		{
			id: LAYERS.clusterCount,
			type: 'symbol',
			source: SOURCES.sites,
			filter: ['has', 'point_count'],
			layout: {
				'text-field': ['get', 'point_count_abbreviated'],
				'text-font': FONT,
				'text-size': 12 * k,
				'text-allow-overlap': true,
				'text-ignore-placement': true
			},
			paint: { 'text-color': INK }
		},
		{
			// A stalled marker on a group that holds stalled sites (its ring is in the stalled
			// colour too); zoom in, or read the site list, for which ones.
			id: LAYERS.clusterStalled,
			type: 'symbol',
			source: SOURCES.sites,
			filter: ['all', ['has', 'point_count'], ['>', ['get', 'stalled'], 0]],
			layout: {
				'icon-image': 'site-stalled',
				'icon-size': 0.7 * k,
				'icon-offset': [17, -17],
				'icon-allow-overlap': true,
				'icon-ignore-placement': true
			}
		},
		{
			id: LAYERS.sites,
			type: 'symbol',
			source: SOURCES.sites,
			filter: ['!', ['has', 'point_count']],
			layout: {
				'icon-image': ['concat', 'site-', ['get', 'status']],
				'icon-size': [
					'*',
					k,
					['match', ['get', 'status'], 'stalled', 1.05, 'closed', 0.6, 'idle', 0.75, 0.8]
				],
				'icon-allow-overlap': true,
				'icon-ignore-placement': true,
				'symbol-sort-key': sortKey
			}
		}
	];
}

/** Counts per status kept on every cluster, for its stalled badge and its popup. */
export const clusterProperties = Object.fromEntries(
	siteStatuses.map((s) => [s, ['+', ['case', ['==', ['get', 'status'], s], 1, 0]]])
);
