import { z } from 'zod';
import { inScope, roleActions, scopeOf, type Principal } from '../../../src/lib/server/auth/policy';
import { getAlert } from '../../../src/lib/server/db/queries/alert';
import { listUsers } from '../../../src/lib/server/db/queries/user';
import type { Route, RouteContext } from '../context';
import { HttpError, sendJson } from '../respond';
import { actorOf, fallbackCall, jsonBody } from './sites';

/** Roles whose people take alerts on (the assign list). */
const assignable = new Set(['admin', 'state_officer', 'district_officer', 'helpdesk']);

const assignBody = z.object({
	assignee: z
		.string({ error: 'required: who takes it on' })
		.trim()
		.min(1, 'required: who takes it on')
		.max(100, 'must be at most 100 characters')
});
const noteBody = z.object({
	text: z
		.string({ error: 'required' })
		.trim()
		.min(1, 'must not be empty')
		.max(2000, 'must be at most 2000 characters')
});

/**
 * The alert named in the path, for a caller allowed `action` on it: alerts of a district
 * for those who act in it, state-wide alerts (no district) for state-wide roles.
 */
async function alertFor(
	ctx: RouteContext,
	action: 'alert.acknowledge'
): Promise<{ id: string; principal: Principal }> {
	const id = ctx.params.id;
	const alert = z.uuid().safeParse(id).success ? await getAlert(ctx.services.handle.db, id) : null;
	const principal = await ctx.authorise(action, {
		districtCode: alert ? (alert.districtCode ?? undefined) : ''
	});
	if (!alert) throw new HttpError(404, 'no such alert');
	return { id, principal };
}

/** The alert list: every alert with its whole life; acknowledge, assign, note. */
export const alertRoutes: Route[] = [
	{
		method: 'GET',
		path: '/api/v1/alerts',
		async handle(ctx) {
			const principal = await ctx.authorise('snapshot.read');
			const scope = scopeOf(principal);
			const alerts = await ctx.services.fallback.alerts({
				districts: scope.all ? undefined : scope.districts
			});
			// People who may take an alert on, for the assign field of those who hand them out.
			const mayAssign =
				principal.kind === 'user' && roleActions[principal.user.role].includes('alert.acknowledge');
			const assignees = mayAssign
				? (await listUsers(ctx.services.handle.db))
						.filter((u) => !u.disabledAt && assignable.has(u.role))
						.filter(
							(u) =>
								scope.all ||
								u.role !== 'district_officer' ||
								u.districts.some((d) => inScope(scope, d))
						)
						.map((u) => ({ username: u.username, displayName: u.displayName }))
				: [];
			sendJson(ctx.res, 200, { alerts, assignees });
		}
	},
	{
		method: 'GET',
		path: '/api/v1/alerts/:id',
		async handle(ctx) {
			const scope = scopeOf(await ctx.authorise('snapshot.read'));
			const id = ctx.params.id;
			const alert = z.uuid().safeParse(id).success ? await ctx.services.fallback.alert(id) : null;
			if (!alert || (alert.districtCode && !inScope(scope, alert.districtCode)))
				throw new HttpError(404, 'no such alert');
			sendJson(ctx.res, 200, alert);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/alerts/:id/acknowledge',
		async handle(ctx) {
			const { id, principal } = await alertFor(ctx, 'alert.acknowledge');
			sendJson(
				ctx.res,
				200,
				await fallbackCall(() => ctx.services.fallback.acknowledge(actorOf(ctx, principal), id))
			);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/alerts/:id/assign',
		async handle(ctx) {
			const { id, principal } = await alertFor(ctx, 'alert.acknowledge');
			const body = await jsonBody(ctx, assignBody);
			sendJson(
				ctx.res,
				200,
				await fallbackCall(() =>
					ctx.services.fallback.assign(actorOf(ctx, principal), id, body.assignee)
				)
			);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/alerts/:id/notes',
		async handle(ctx) {
			const { id, principal } = await alertFor(ctx, 'alert.acknowledge');
			const body = await jsonBody(ctx, noteBody);
			sendJson(
				ctx.res,
				200,
				await fallbackCall(() => ctx.services.fallback.note(actorOf(ctx, principal), id, body.text))
			);
		}
	}
];
