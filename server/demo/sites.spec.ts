import { afterEach, describe, expect, it, vi } from 'vitest';
import { maharashtraDistricts, maharashtraTowns } from './districts';
import { approximateDistrictGeometry, pointInGeometry } from './geometry';
import { maharashtraOutline } from './outline';
import { allocateSites, demoSiteTotal, generateDemoSites, mulberry32 } from './sites';

const geometry = approximateDistrictGeometry(
	maharashtraDistricts,
	maharashtraOutline,
	Object.fromEntries(
		Object.entries(maharashtraTowns).map(([code, towns]) => [code, towns.map((t) => t.at)])
	)
);

afterEach(() => {
	vi.restoreAllMocks();
});

describe('allocateSites', () => {
	it('gives each at least the minimum, the rest by population, summing exactly', () => {
		const counts = allocateSites([100, 1, 1, 50, 49], 40, 4);
		expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
		expect(counts[1]).toBe(4);
		expect(counts[2]).toBe(4);
		expect(counts[0]).toBeGreaterThan(counts[3]);
		expect(counts[3]).toBeGreaterThanOrEqual(counts[4]);
	});
});

describe('mulberry32', () => {
	it('repeats for a seed and differs between seeds', () => {
		const a = mulberry32(7);
		const b = mulberry32(7);
		const c = mulberry32(8);
		const xs = [a(), a(), a()];
		expect([b(), b(), b()]).toEqual(xs);
		expect(c()).not.toBe(xs[0]);
		for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
	});
});

describe('generateDemoSites', () => {
	const sites = generateDemoSites(maharashtraDistricts, geometry);

	it('makes about 300 sites, at least 4 a district, more where more people live', () => {
		expect(sites).toHaveLength(demoSiteTotal);
		expect(sites.length).toBeGreaterThanOrEqual(290);
		expect(sites.length).toBeLessThanOrEqual(310);
		const per = (code: string) => sites.filter((s) => s.districtCode === code).length;
		for (const d of maharashtraDistricts) expect(per(d.code), d.name).toBeGreaterThanOrEqual(4);
		expect(per('521')).toBeGreaterThan(per('527')); // Pune > Satara
		expect(per('518')).toBeGreaterThan(per('519')); // suburbs > island city
		expect(per('529')).toBe(4); // Sindhudurg, the smallest
	});

	it('codes sites MH-<district>-<nn>, uniquely, with unique names within a district', () => {
		expect(new Set(sites.map((s) => s.code)).size).toBe(sites.length);
		for (const s of sites) expect(s.code).toMatch(new RegExp(`^MH-${s.districtCode}-\\d{2}$`));
		for (const d of maharashtraDistricts) {
			const names = sites.filter((s) => s.districtCode === d.code).map((s) => s.name);
			expect(new Set(names).size, d.name).toBe(names.length);
		}
		expect(sites.every((s) => !/ Site \d+$/.test(s.name))).toBe(true);
	});

	it('puts each site inside its district, the principal hospital at headquarters', () => {
		for (const s of sites) {
			const cell = geometry.features.find((f) => f.properties.code === s.districtCode)!;
			expect(pointInGeometry([s.lon, s.lat], cell.geometry), s.code).toBe(true);
		}
		for (const d of maharashtraDistricts) {
			const main = sites.find((s) => s.code === `MH-${d.code}-01`)!;
			expect(Math.abs(main.lon - d.hq[0])).toBeLessThanOrEqual(0.0051);
			expect(Math.abs(main.lat - d.hq[1])).toBeLessThanOrEqual(0.0051);
			expect(main.capacity).toBe(300);
		}
		expect(sites.find((s) => s.code === 'MH-505-01')?.name).toBe('District Hospital Nagpur');
		expect(sites.find((s) => s.code === 'MH-520-01')?.name).toBe('District Hospital Alibag');
	});

	it('gives Maharashtra PIN codes and capacities of 100–200 a session', () => {
		for (const s of sites) {
			expect(s.pincode).toMatch(/^4[0-4]\d{4}$/);
			if (!s.code.endsWith('-01')) {
				expect(s.capacity).toBeGreaterThanOrEqual(100);
				expect(s.capacity).toBeLessThanOrEqual(200);
			}
		}
	});

	it('is deterministic and never touches Math.random', () => {
		const spy = vi.spyOn(Math, 'random');
		expect(generateDemoSites(maharashtraDistricts, geometry)).toEqual(sites);
		expect(spy).not.toHaveBeenCalled();
		const other = generateDemoSites(maharashtraDistricts, geometry, 7);
		expect(other.map((s) => s.code)).toEqual(sites.map((s) => s.code));
		expect(other).not.toEqual(sites);
	});
});
