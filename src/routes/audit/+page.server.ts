import { appTimeZone, database } from '$lib/server/app-context';
import { auditActions, countAudit, searchAudit } from '$lib/server/db/queries/audit';
import type { PageServerLoad } from './$types';
import { parseAuditQuery } from './filter';

const PAGE_SIZE = 50;

// Who may open this page is decided by the request hook (policy.ts pageActions: audit.read).
export const load: PageServerLoad = async ({ url }) => {
	const timeZone = appTimeZone();
	const db = database();
	const { query, filter, problems } = parseAuditQuery(url.searchParams, timeZone);
	const [total, actions] = await Promise.all([countAudit(db, filter), auditActions(db)]);
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = Math.min(query.page, pages);
	const entries = await searchAudit(db, {
		filter,
		limit: PAGE_SIZE,
		offset: (page - 1) * PAGE_SIZE
	});
	return {
		entries: entries.map((e) => ({
			id: e.id,
			at: e.at.toISOString(),
			actor: e.actor,
			action: e.action,
			target: e.target,
			ip: e.ip,
			detail: e.detail as Record<string, unknown> | null
		})),
		total,
		page,
		pages,
		pageSize: PAGE_SIZE,
		actions,
		query: { ...query, page },
		problems,
		timeZone
	};
};
