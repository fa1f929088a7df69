import { describe, expect, it } from 'vitest';
import { holds, parseSnapshot } from './visibility';

describe('snapshot visibility', () => {
	it('holds what committed before xmin, not what started at or after xmax', () => {
		const s = parseSnapshot('100:105:');
		expect(holds(s, '99')).toBe(true);
		expect(holds(s, '104')).toBe(true);
		expect(holds(s, '105')).toBe(false);
		expect(holds(s, '2000')).toBe(false);
	});

	it('does not hold a transaction that was still in progress', () => {
		const s = parseSnapshot('100:110:100,103');
		expect(holds(s, '100')).toBe(false);
		expect(holds(s, '103')).toBe(false);
		expect(holds(s, '101')).toBe(true);
	});

	it('reads 64-bit transaction ids exactly', () => {
		const s = parseSnapshot('9007199254740993:9007199254740995:9007199254740994');
		expect(holds(s, '9007199254740993')).toBe(true);
		expect(holds(s, '9007199254740994')).toBe(false);
	});
});
