import { describe, expect, it } from 'vitest';
import { maharashtraDistricts, maharashtraTowns } from './districts';
import { bbox, pointInGeometry, ringArea, type Position } from './geometry';
import { maharashtraOutline } from './outline';

const outline = { type: 'Polygon' as const, coordinates: [maharashtraOutline] };

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
	const side = (p: Position, q: Position, r: Position) =>
		Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
	return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

describe('maharashtraOutline', () => {
	it('is one closed counter-clockwise ring of 40–80 vertices', () => {
		const ring = maharashtraOutline;
		expect(ring[0]).toEqual(ring[ring.length - 1]);
		expect(ring.length - 1).toBeGreaterThanOrEqual(40);
		expect(ring.length - 1).toBeLessThanOrEqual(80);
		expect(ringArea(ring)).toBeGreaterThan(0);
	});

	it('spans the state’s extent', () => {
		const [minX, minY, maxX, maxY] = bbox(maharashtraOutline);
		expect(minX).toBeCloseTo(72.6, 0);
		expect(maxX).toBeCloseTo(80.9, 0);
		expect(minY).toBeCloseTo(15.6, 0);
		expect(maxY).toBeCloseTo(22.0, 0);
	});

	it('does not cross itself', () => {
		const ring = maharashtraOutline;
		for (let i = 0; i < ring.length - 1; i++) {
			for (let j = i + 2; j < ring.length - 1; j++) {
				expect(segmentsCross(ring[i], ring[i + 1], ring[j], ring[j + 1]), `${i}/${j}`).toBe(false);
			}
		}
	});

	it('contains every headquarters and town', () => {
		for (const d of maharashtraDistricts) {
			expect(pointInGeometry(d.hq, outline), d.name).toBe(true);
			for (const t of maharashtraTowns[d.code]) {
				expect(pointInGeometry(t.at, outline), t.name).toBe(true);
			}
		}
	});
});
