/**
 * A Chart.js plugin that draws the decision timeline on a time chart: a marker where each
 * switch to manual, return online, health incident or alert happened, so cause and effect
 * are seen together. Each kind has its own colour, line style and letter (M, O, H, A), so
 * it reads without colour; a health incident also shades the time it lasted. The list
 * under the chart says the same in words.
 */
import type { Chart, Plugin } from 'chart.js';
import type { TimelineEvent } from '$lib/shared/map';

export const timelineStyle: Record<
	TimelineEvent['kind'],
	{ letter: string; colour: string; dash: number[]; label: string }
> = {
	manual: { letter: 'M', colour: '#aa3377', dash: [], label: 'Switched to manual' },
	online: { letter: 'O', colour: '#0072b2', dash: [6, 4], label: 'Back online' },
	health: { letter: 'H', colour: '#d55e00', dash: [2, 3], label: 'Health incident' },
	alert: { letter: 'A', colour: '#8a5a00', dash: [8, 3, 2, 3], label: 'Alert' }
};

export interface TimelineOptions {
	events: TimelineEvent[];
	/** Where an incident still open is shaded to (epoch ms). */
	nowMs: number;
}

interface Marker {
	x: number;
	kind: TimelineEvent['kind'];
	count: number;
}

/** Events of one kind closer than this many pixels share a marker, with a count. */
const MERGE_PX = 10;

export const timelinePlugin: Plugin<'bar' | 'line'> = {
	id: 'timeline',
	beforeDatasetsDraw(chart: Chart) {
		const options = (chart.options.plugins as { timeline?: TimelineOptions }).timeline;
		if (!options?.events.length) return;
		const { ctx, chartArea } = chart;
		const x = chart.scales.x;
		ctx.save();
		for (const e of options.events) {
			if (e.kind !== 'health') continue;
			const from = Math.max(x.getPixelForValue(Date.parse(e.at)), chartArea.left);
			const to = Math.min(
				x.getPixelForValue(e.endedAt ? Date.parse(e.endedAt) : options.nowMs),
				chartArea.right
			);
			if (to <= from) continue;
			ctx.fillStyle = 'rgba(213, 94, 0, 0.08)';
			ctx.fillRect(from, chartArea.top, to - from, chartArea.bottom - chartArea.top);
		}
		ctx.restore();
	},
	afterDatasetsDraw(chart: Chart) {
		const options = (chart.options.plugins as { timeline?: TimelineOptions }).timeline;
		if (!options?.events.length) return;
		const { ctx, chartArea } = chart;
		const x = chart.scales.x;
		const markers: Marker[] = [];
		for (const e of options.events) {
			const px = x.getPixelForValue(Date.parse(e.at));
			if (px < chartArea.left || px > chartArea.right) continue;
			const near = markers.find((m) => m.kind === e.kind && Math.abs(m.x - px) < MERGE_PX);
			if (near) near.count++;
			else markers.push({ x: px, kind: e.kind, count: 1 });
		}
		const font = Math.max(11, Math.round(chartArea.height / 18));
		ctx.save();
		ctx.font = `700 ${font}px system-ui, sans-serif`;
		ctx.textBaseline = 'middle';
		ctx.textAlign = 'center';
		// Kinds on their own rows at the top, so markers at one time do not hide each other.
		const rows: TimelineEvent['kind'][] = ['health', 'alert', 'manual', 'online'];
		for (const m of markers) {
			const style = timelineStyle[m.kind];
			const row = rows.indexOf(m.kind);
			const y = chartArea.top + font * 0.8 + row * (font * 1.5);
			ctx.strokeStyle = style.colour;
			ctx.lineWidth = 2;
			ctx.setLineDash(style.dash);
			ctx.beginPath();
			ctx.moveTo(m.x, y + font * 0.7);
			ctx.lineTo(m.x, chartArea.bottom);
			ctx.stroke();
			ctx.setLineDash([]);
			const text = m.count > 1 ? `${style.letter}×${m.count}` : style.letter;
			const w = ctx.measureText(text).width + font * 0.7;
			const h = font * 1.3;
			ctx.fillStyle = style.colour;
			ctx.beginPath();
			ctx.roundRect(m.x - w / 2, y - h / 2, w, h, 3);
			ctx.fill();
			ctx.fillStyle = '#ffffff';
			ctx.fillText(text, m.x, y + 0.5);
		}
		ctx.restore();
	}
};
