import { error } from '@sveltejs/kit';
import { appTimeZone, database } from '$lib/server/app-context';
import { scopeOf, userPrincipal } from '$lib/server/auth/policy';
import { readReview, ReviewRequestError } from '$lib/server/review/read';
import { parseReviewParams, reviewSearch } from '$lib/shared/review-params';
import { localDate } from '$lib/shared/time';
import type { PageServerLoad } from './$types';

// The request hook checks review.read (policy.ts pageActions) for /review and below.
export const load: PageServerLoad = async ({ url, locals }) => {
	const timeZone = appTimeZone();
	const now = new Date();
	const parsed = parseReviewParams(url.searchParams, localDate(now, timeZone));
	if (!parsed.ok) error(400, parsed.problems.join('; '));
	try {
		const review = await readReview(database(), {
			params: parsed.params,
			scope: scopeOf(userPrincipal(locals.user!)),
			timeZone,
			now
		});
		return {
			review,
			byDistrict: url.searchParams.get('byDistrict') === '1',
			search: reviewSearch(parsed.params),
			preparedBy: locals.user!.displayName || locals.user!.username
		};
	} catch (e) {
		if (e instanceof ReviewRequestError) error(e.status, e.message);
		throw e;
	}
};
