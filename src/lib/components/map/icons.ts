/**
 * The map's images, drawn in the browser (no sprite sheet to fetch): one marker per site
 * status in the same shapes as SiteStatusIcon.svelte (● ○ ▲ ■ –), so a marker reads
 * without its colour, each with a white halo that keeps it visible on any district fill;
 * and the hatching of districts where nothing is planned.
 */
import { siteStatuses, type SiteStatus } from '$lib/shared/live';

export const statusFallbackColours: Record<SiteStatus, string> = {
	active: '#0072b2',
	idle: '#737b85',
	stalled: '#d55e00',
	manual: '#aa3377',
	closed: '#8a939d'
};

export interface MapImage {
	name: string;
	data: ImageData;
	pixelRatio: number;
}

/** The status colours from app.css, so the map and the badges agree. */
export function statusColours(element: Element): Record<SiteStatus, string> {
	const style = getComputedStyle(element);
	const out = { ...statusFallbackColours };
	for (const s of siteStatuses) {
		const v = style.getPropertyValue(`--status-${s}`).trim();
		// Closed is a pale grey on the page; on a map it needs more weight to be seen.
		if (v && s !== 'closed') out[s] = v;
	}
	return out;
}

function context(size: number): CanvasRenderingContext2D {
	const canvas = document.createElement('canvas');
	canvas.width = size;
	canvas.height = size;
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('no 2D canvas');
	return ctx;
}

/** Draw one status glyph in a 16-unit box (as SiteStatusIcon's viewBox). */
function drawGlyph(ctx: CanvasRenderingContext2D, status: SiteStatus, colour: string) {
	const halo = '#ffffff';
	ctx.lineJoin = 'round';
	ctx.lineCap = 'round';
	switch (status) {
		case 'active': {
			ctx.beginPath();
			ctx.arc(8, 8, 6, 0, Math.PI * 2);
			ctx.lineWidth = 3;
			ctx.strokeStyle = halo;
			ctx.stroke();
			ctx.fillStyle = colour;
			ctx.fill();
			break;
		}
		case 'idle': {
			ctx.beginPath();
			ctx.arc(8, 8, 6.5, 0, Math.PI * 2);
			ctx.fillStyle = halo;
			ctx.fill();
			ctx.beginPath();
			ctx.arc(8, 8, 5.25, 0, Math.PI * 2);
			ctx.lineWidth = 2.5;
			ctx.strokeStyle = colour;
			ctx.stroke();
			break;
		}
		case 'stalled': {
			const tri = new Path2D('M8 1.2 15.2 14.3H.8Z');
			ctx.lineWidth = 3;
			ctx.strokeStyle = halo;
			ctx.stroke(tri);
			ctx.fillStyle = colour;
			ctx.fill(tri);
			ctx.strokeStyle = '#ffffff';
			ctx.lineWidth = 1.9;
			ctx.beginPath();
			ctx.moveTo(8, 5.6);
			ctx.lineTo(8, 9.8);
			ctx.stroke();
			ctx.beginPath();
			ctx.arc(8, 12.1, 1.05, 0, Math.PI * 2);
			ctx.fillStyle = '#ffffff';
			ctx.fill();
			break;
		}
		case 'manual': {
			const square = new Path2D();
			square.roundRect(2, 2, 12, 12, 1.5);
			ctx.lineWidth = 3;
			ctx.strokeStyle = halo;
			ctx.stroke(square);
			ctx.fillStyle = colour;
			ctx.fill(square);
			ctx.strokeStyle = '#ffffff';
			ctx.lineWidth = 1.4;
			for (const [y, w] of [
				[6, 6],
				[8.5, 6],
				[11, 3.5]
			]) {
				ctx.beginPath();
				ctx.moveTo(5, y);
				ctx.lineTo(5 + w, y);
				ctx.stroke();
			}
			break;
		}
		case 'closed': {
			const bar = new Path2D();
			bar.roundRect(2, 6.5, 12, 3, 1);
			ctx.lineWidth = 3;
			ctx.strokeStyle = halo;
			ctx.stroke(bar);
			ctx.fillStyle = colour;
			ctx.fill(bar);
			break;
		}
	}
}

/** `site-<status>` images at the screen's pixel ratio, 24 CSS px across. */
export function statusImages(colours: Record<SiteStatus, string>, pixelRatio: number): MapImage[] {
	const cssSize = 24;
	const size = Math.round(cssSize * pixelRatio);
	return siteStatuses.map((status) => {
		const ctx = context(size);
		// 16 units of glyph plus a unit of halo on each side.
		const scale = size / 18;
		ctx.setTransform(scale, 0, 0, scale, scale, scale);
		drawGlyph(ctx, status, colours[status]);
		return { name: `site-${status}`, data: ctx.getImageData(0, 0, size, size), pixelRatio };
	});
}

/** Diagonal hatching for districts with nothing planned: not a colour on the ramp. */
export function hatchImage(pixelRatio: number): MapImage {
	const css = 10;
	const size = Math.round(css * pixelRatio);
	const ctx = context(size);
	ctx.fillStyle = '#e4e7eb';
	ctx.fillRect(0, 0, size, size);
	ctx.strokeStyle = '#8a939d';
	ctx.lineWidth = 1.5 * pixelRatio;
	ctx.beginPath();
	// Two strokes so the pattern tiles without seams.
	ctx.moveTo(-size / 2, size / 2);
	ctx.lineTo(size / 2, -size / 2);
	ctx.moveTo(0, size);
	ctx.lineTo(size, 0);
	ctx.moveTo(size / 2, size * 1.5);
	ctx.lineTo(size * 1.5, size / 2);
	ctx.stroke();
	return { name: 'no-plan-hatch', data: ctx.getImageData(0, 0, size, size), pixelRatio };
}
