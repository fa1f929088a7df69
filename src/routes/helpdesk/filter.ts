/**
 * The queue's filters as URL search parameters (so a filtered queue can be bookmarked,
 * shared and gone back to). No status means the open complaints; `status=all`, every one.
 */
import {
	complaintCategories,
	complaintPriorities,
	complaintStatuses,
	type ComplaintFilter
} from '$lib/shared/complaint';

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
	v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined;

const text = (v: string | null, max = 200) => (v?.trim() ? v.trim().slice(0, max) : undefined);

export function filterFromSearch(params: URLSearchParams): ComplaintFilter {
	const status = params.get('status');
	return {
		status:
			status === 'all' ? undefined : (oneOf([...complaintStatuses, 'open'], status) ?? 'open'),
		districtCode: text(params.get('districtCode')),
		siteCode: text(params.get('siteCode')),
		category: oneOf(complaintCategories, params.get('category')),
		priority: oneOf(complaintPriorities, params.get('priority')),
		assignee: text(params.get('assignee')),
		incidentId: text(params.get('incidentId')),
		q: text(params.get('q'))
	};
}
