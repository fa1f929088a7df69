import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json';
import { BodyError } from './types';

describe('parseJsonBody', () => {
	it('parses JSON, with or without a byte-order mark', () => {
		expect(parseJsonBody('[{"a":1}]')).toEqual([{ a: 1 }]);
		expect(parseJsonBody('\uFEFF{"b":true}')).toEqual({ b: true });
	});

	it('says where invalid JSON breaks', () => {
		expect(() => parseJsonBody('[\n  {"a": 1,}\n]')).toThrow(BodyError);
		expect(() => parseJsonBody('[\n  {"a": 1,}\n]')).toThrow(/^invalid JSON.*line 2,? column 11/);
	});

	it('refuses an empty body', () => {
		expect(() => parseJsonBody('  \n')).toThrow('empty body: expected JSON');
	});

	it('throws errors a caller can tell apart by class and name', () => {
		try {
			parseJsonBody('{');
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(BodyError);
			expect((e as Error).name).toBe('BodyError');
		}
	});
});
