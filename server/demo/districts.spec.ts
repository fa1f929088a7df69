import { describe, expect, it } from 'vitest';
import { demoStateName, maharashtraDistricts, maharashtraTowns } from './districts';

describe('maharashtraDistricts', () => {
	it('lists the 36 districts with unique codes 497–532 and names', () => {
		expect(demoStateName).toBe('Maharashtra');
		expect(maharashtraDistricts).toHaveLength(36);
		const codes = maharashtraDistricts.map((d) => Number(d.code));
		expect(codes).toEqual(Array.from({ length: 36 }, (_, i) => 497 + i));
		for (const d of maharashtraDistricts) expect(d.code).toMatch(/^\d{3}$/);
		expect(new Set(maharashtraDistricts.map((d) => d.name)).size).toBe(36);
	});

	it('keeps census spellings as names and everyday ones as commonName', () => {
		const byName = new Map(maharashtraDistricts.map((d) => [d.name, d]));
		expect(byName.get('Ahmadnagar')?.commonName).toBe('Ahmednagar');
		expect(byName.get('Bid')?.commonName).toBe('Beed');
		expect(byName.get('Garhchiroli')?.code).toBe('508');
		expect(byName.get('Mumbai Suburban')?.code).toBe('518');
		expect(byName.get('Palghar')?.code).toBe('532');
	});

	it('adds up to the state’s Census 2011 population, Palghar split from Thane', () => {
		const total = maharashtraDistricts.reduce((sum, d) => sum + d.population, 0);
		expect(total).toBe(112_374_333);
		const pop = (name: string) => maharashtraDistricts.find((d) => d.name === name)!.population;
		expect(pop('Thane') + pop('Palghar')).toBe(11_060_148);
	});

	it('places headquarters inside the state’s bounding box', () => {
		for (const { hq } of maharashtraDistricts) {
			expect(hq[0]).toBeGreaterThan(72.6);
			expect(hq[0]).toBeLessThan(80.9);
			expect(hq[1]).toBeGreaterThan(15.6);
			expect(hq[1]).toBeLessThan(22.1);
		}
	});
});

describe('maharashtraTowns', () => {
	it('gives every district towns near its headquarters, none at the same place', () => {
		const seen = new Set<string>();
		for (const d of maharashtraDistricts) {
			const towns = maharashtraTowns[d.code];
			expect(towns.length, d.name).toBeGreaterThanOrEqual(3);
			for (const t of towns) {
				expect(t.name).toMatch(/^[A-Z][A-Za-z ]+$/);
				expect(Math.hypot(t.at[0] - d.hq[0], t.at[1] - d.hq[1]), t.name).toBeLessThan(1.6);
				const key = t.at.join(',');
				expect(seen.has(key), t.name).toBe(false);
				seen.add(key);
			}
		}
		expect(Object.keys(maharashtraTowns).sort()).toEqual(
			maharashtraDistricts.map((d) => d.code).sort()
		);
	});
});
