import { describe, expect, it } from 'vitest';
import { filterFromSearch } from './filter';

const read = (s: string) => filterFromSearch(new URLSearchParams(s));

describe('queue filters in the URL', () => {
	it('shows the open complaints by default, and every one with status=all', () => {
		expect(read('').status).toBe('open');
		expect(read('status=all').status).toBeUndefined();
		expect(read('status=resolved').status).toBe('resolved');
		expect(read('status=bogus').status).toBe('open');
	});

	it('drops values it does not know and trims text', () => {
		expect(read('category=aefi&priority=critical&q=%20otp%20&districtCode=')).toEqual({
			status: 'open',
			category: 'aefi',
			priority: undefined,
			q: 'otp',
			districtCode: undefined,
			siteCode: undefined,
			assignee: undefined,
			incidentId: undefined
		});
	});
});
