/**
 * Chart.js, registered once with only what the charts use (tree-shaken; no date adapter:
 * time axes are linear in epoch ms, labelled in the state's time zone by the caller).
 */
import {
	Chart,
	Filler,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip
} from 'chart.js';

let registered = false;

export function chartJs(): typeof Chart {
	if (!registered) {
		Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip);
		registered = true;
	}
	return Chart;
}

/** A CSS custom property's value (status colours live in app.css). */
export function cssVar(element: Element, name: string, fallback: string): string {
	return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}
