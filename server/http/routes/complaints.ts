import { z } from 'zod';
import type { Principal } from '../../../src/lib/server/auth/policy';
import { ComplaintReadError, complaintScope } from '../../../src/lib/server/complaints';
import {
	complaintActionKinds,
	complaintCategories,
	complaintPriorities,
	complaintStatuses,
	type ComplaintFilter
} from '../../../src/lib/shared/complaint';
import { actorName, presentedToken } from '../../auth';
import { ComplaintError } from '../../complaints/service';
import { BodyError, parseJsonBody } from '../../feeds/parse';
import { describeIssues } from '../../feeds/parse/fields';
import type { Route, RouteContext } from '../context';
import { HttpError, sendJson } from '../respond';

type ComplaintAction = 'complaint.create' | 'complaint.update';

/**
 * The caller, who must be allowed `action` on complaints somewhere. Tokens act state-wide,
 * so the policy answers for them at once; for a person the answer may depend on the
 * district, which is checked per complaint (a district officer works its own districts).
 */
async function caller(ctx: RouteContext, action: ComplaintAction): Promise<Principal> {
	const token = presentedToken(ctx.req.headers, ctx.url.searchParams.get('token'));
	const principal = await ctx.authorise(token ? action : 'snapshot.read');
	if (!complaintScope(principal, action)) {
		throw new HttpError(403, `forbidden: ${actorName(principal)} may not ${action}`);
	}
	return principal;
}

const clientIp = (ctx: RouteContext) => ctx.req.socket.remoteAddress ?? null;

/** Run a service call, passing its refusals on as they are. */
async function service<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof ComplaintError || error instanceof ComplaintReadError)
			throw new HttpError(error.status, error.message);
		if (error instanceof BodyError) throw new HttpError(400, error.message);
		throw error;
	}
}

async function jsonBody<T extends z.ZodType>(ctx: RouteContext, schema: T): Promise<z.infer<T>> {
	let body: unknown;
	try {
		body = parseJsonBody(await ctx.body());
	} catch (error) {
		if (error instanceof BodyError) throw new HttpError(400, error.message);
		throw error;
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new HttpError(400, `bad body: ${describeIssues(parsed.error)}`);
	return parsed.data;
}

const code = z.string().trim().min(1).max(200);
const note = z.string().trim().max(4000);

const listQuery = z.object({
	status: z.enum([...complaintStatuses, 'open']).optional(),
	districtCode: code.optional(),
	siteCode: code.optional(),
	category: z.enum(complaintCategories).optional(),
	priority: z.enum(complaintPriorities).optional(),
	assignee: code.optional(),
	incidentId: z.uuid().optional(),
	q: z.string().trim().max(200).optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(200)
});

const patchBody = z.strictObject({
	from: z.enum(complaintStatuses).optional(),
	status: z.enum(complaintStatuses).optional(),
	assignee: code.nullable().optional(),
	priority: z.enum(complaintPriorities).optional(),
	category: z.enum(complaintCategories).optional(),
	siteCode: code.nullable().optional(),
	note: note.optional()
});

const linkBody = z.union([
	z.strictObject({
		ids: z.array(code).min(1).max(1000),
		title: z.string().trim().min(1).max(200)
	}),
	z.strictObject({
		ids: z.array(code).min(1).max(1000),
		incidentId: z.uuid().nullable()
	})
]);

const actionBody = z.strictObject({
	kind: z.enum(complaintActionKinds),
	note: note.optional().transform((v) => v || null),
	siteCode: code.nullable().optional()
});

function query<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
	const entries = [...url.searchParams].filter(([k, v]) => k !== 'token' && v !== '');
	const parsed = schema.safeParse(Object.fromEntries(entries));
	if (!parsed.success) throw new HttpError(400, `bad query: ${describeIssues(parsed.error)}`);
	return parsed.data;
}

/** The help desk: complaints in (any channel), the queue, the workflow, incidents, hand-offs. */
export const complaintRoutes: Route[] = [
	{
		method: 'POST',
		path: '/api/v1/complaints',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.create');
			const text = await ctx.body();
			const result = await service(() => ctx.services.complaints.create(principal, text));
			sendJson(ctx.res, 200, result);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/complaints',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.update');
			const { limit, ...filter } = query(ctx.url, listQuery);
			const list = await service(() =>
				ctx.services.complaints.list(principal, filter as ComplaintFilter, limit)
			);
			sendJson(ctx.res, 200, { at: new Date().toISOString(), ...list });
		}
	},
	{
		method: 'POST',
		path: '/api/v1/complaints/replay',
		async handle(ctx) {
			// Whoever may send feeds may send their rejects again (administrators, ingest tokens).
			const principal = await ctx.authorise('feed.ingest');
			const report = await service(() => ctx.services.complaints.replayQuarantined(principal));
			sendJson(ctx.res, 200, report);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/complaints/incidents',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.update');
			const incidents = await service(() => ctx.services.complaints.incidents(principal));
			sendJson(ctx.res, 200, { incidents });
		}
	},
	{
		method: 'POST',
		path: '/api/v1/complaints/link',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.update');
			const body = await jsonBody(ctx, linkBody);
			const target =
				'title' in body ? { title: body.title } : { incidentId: body.incidentId ?? null };
			const result = await service(() =>
				ctx.services.complaints.link(principal, body.ids, target, clientIp(ctx))
			);
			sendJson(ctx.res, 200, result);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/complaints/:id',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.update');
			const found = await service(() => ctx.services.complaints.get(principal, ctx.params.id));
			sendJson(ctx.res, 200, found);
		}
	},
	{
		method: 'PATCH',
		path: '/api/v1/complaints/:id',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.update');
			const patch = await jsonBody(ctx, patchBody);
			const complaint = await service(() =>
				ctx.services.complaints.update(principal, ctx.params.id, patch, clientIp(ctx))
			);
			sendJson(ctx.res, 200, { complaint });
		}
	},
	{
		method: 'POST',
		path: '/api/v1/complaints/:id/actions',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.update');
			const body = await jsonBody(ctx, actionBody);
			const result = await service(() =>
				ctx.services.complaints.raiseAction(principal, ctx.params.id, body, clientIp(ctx))
			);
			sendJson(ctx.res, 200, result);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sites/:code/context',
		async handle(ctx) {
			const principal = await caller(ctx, 'complaint.create');
			const context = await service(() =>
				ctx.services.complaints.context(principal, ctx.params.code)
			);
			sendJson(ctx.res, 200, context);
		}
	}
];
