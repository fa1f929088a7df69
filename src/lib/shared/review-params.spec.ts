import { describe, expect, it } from 'vitest';
import { MAX_REVIEW_DAYS, parseReviewParams, reviewSearch } from './review-params';

const TODAY = '2021-01-16';
const parse = (query: string) => parseReviewParams(new URLSearchParams(query), TODAY);

describe('parseReviewParams', () => {
	it('defaults to the week ending today, every district', () => {
		expect(parse('')).toEqual({
			ok: true,
			params: { from: '2021-01-10', to: '2021-01-16', districts: [] }
		});
	});

	it('takes the week ending on `to`, or from `from` to today', () => {
		expect(parse('to=2021-01-31')).toMatchObject({
			params: { from: '2021-01-25', to: '2021-01-31' }
		});
		expect(parse('from=2021-01-01')).toMatchObject({ params: { from: '2021-01-01', to: TODAY } });
		expect(parse('from=2021-02-01')).toMatchObject({
			params: { from: '2021-02-01', to: '2021-02-01' }
		});
	});

	it('reads districts repeated or comma-separated, once each', () => {
		expect(parse('district=521&district=505,521&district=')).toMatchObject({
			ok: true,
			params: { districts: ['521', '505'] }
		});
	});

	it('names what is wrong', () => {
		expect(parse('from=2021-02-30')).toEqual({
			ok: false,
			problems: ['from: must be a date YYYY-MM-DD, got "2021-02-30"']
		});
		expect(parse('from=16-01-2021&to=x')).toMatchObject({ ok: false, problems: [/from/, /to/] });
		expect(parse('from=2021-01-17&to=2021-01-16')).toMatchObject({ ok: false });
		expect(parse('from=2020-01-01&to=2021-01-01')).toEqual({
			ok: false,
			problems: [`the range is 367 days; at most ${MAX_REVIEW_DAYS}`]
		});
		expect(parse('from=2020-01-02&to=2021-01-01').ok).toBe(true);
	});
});

describe('reviewSearch', () => {
	it('writes a query the parser reads back', () => {
		const params = { from: '2021-01-01', to: '2021-01-07', districts: ['521', '505'] };
		const search = reviewSearch(params, { perDistrict: '1' });
		expect(search).toBe('from=2021-01-01&to=2021-01-07&district=521&district=505&perDistrict=1');
		expect(parseReviewParams(new URLSearchParams(search), TODAY)).toEqual({ ok: true, params });
	});
});
