import { z } from 'zod';
import { can, scopeOf, type Action, type Principal } from '../../../src/lib/server/auth/policy';
import {
	getBackfillUpload,
	siteCodesOfDistrict,
	siteDistrictOf
} from '../../../src/lib/server/db/queries/fallback';
import { reasonCodes } from '../../../src/lib/shared/fallback';
import { actorName } from '../../auth';
import { BackfillFormatError } from '../../fallback/csv';
import { FallbackError, type Actor } from '../../fallback/service';
import { BodyError, parseJsonBody } from '../../feeds/parse';
import { describeIssues } from '../../feeds/parse/fields';
import type { Route, RouteContext } from '../context';
import { HttpError, sendJson } from '../respond';

/** Run a service call, passing its refusals on as HTTP answers. */
export async function fallbackCall<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof FallbackError) throw new HttpError(error.status, error.message);
		if (error instanceof BackfillFormatError) throw new HttpError(400, error.message);
		throw error;
	}
}

export async function jsonBody<T extends z.ZodType>(
	ctx: RouteContext,
	schema: T
): Promise<z.infer<T>> {
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

export function actorOf(ctx: RouteContext, principal: Principal): Actor {
	return { name: actorName(principal), ip: ctx.req.socket.remoteAddress ?? null };
}

/**
 * The site named in the path and a caller allowed `action` in its district. An unknown site
 * is a 404 only for someone who could act on it anywhere: a district officer learns nothing
 * about sites outside its districts.
 */
async function siteFor(
	ctx: RouteContext,
	action: Action
): Promise<{ code: string; districtCode: string; principal: Principal }> {
	const code = ctx.params.code;
	const districtCode =
		ctx.services.live.siteDistrict(code) ?? (await siteDistrictOf(ctx.services.handle.db, code));
	const principal = await ctx.authorise(action, { districtCode: districtCode ?? '' });
	if (!districtCode) throw new HttpError(404, `unknown site: ${code}`);
	return { code, districtCode, principal };
}

const reason = z
	.string({ error: 'required: why the site switches' })
	.trim()
	.min(1, 'required: why the site switches')
	.max(500, 'must be at most 500 characters');
const reasonCode = z
	.string()
	.refine((c) => reasonCodes.includes(c), { error: `must be one of ${reasonCodes.join(', ')}` })
	.default('other');
const registerCount = z.number().int().min(0).max(1_000_000);
const mode = z.enum(['manual', 'online'], { error: 'must be manual or online' });

const modeBody = z.object({ mode, reason, reasonCode, registerCount: registerCount.optional() });

const bulkBody = z
	.object({
		mode,
		reason,
		reasonCode,
		districtCode: z.string().trim().min(1).max(200).optional(),
		siteCodes: z.array(z.string().trim().min(1).max(200)).min(1).max(10_000).optional()
	})
	.refine((b) => (b.districtCode === undefined) !== (b.siteCodes === undefined), {
		error: 'give either districtCode (every site of a district) or siteCodes (a chosen set)'
	});

const countBody = z.object({ registerCount });

/** The content types a paper register may come as (browsers label .csv files variously). */
const csvTypes = new Set([
	'text/csv',
	'application/csv',
	'text/plain',
	'application/vnd.ms-excel',
	'text/comma-separated-values'
]);

const truthy = (v: string | null) => v === '1' || v === 'true' || v === 'yes';

/** Switching sites to their manual fallback and back, paper registers, the fallback picture. */
export const siteRoutes: Route[] = [
	{
		method: 'POST',
		path: '/api/v1/sites/:code/mode',
		async handle(ctx) {
			const { code, principal } = await siteFor(ctx, 'site.mode');
			const body = await jsonBody(ctx, modeBody);
			const answer = await fallbackCall(() =>
				ctx.services.fallback.switchModes(actorOf(ctx, principal), {
					siteCodes: [code],
					mode: body.mode,
					reason: body.reason,
					reasonCode: body.reasonCode,
					registerCount: body.registerCount
				})
			);
			sendJson(ctx.res, 200, { ...answer, site: answer.sites[0] });
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sites/mode',
		async handle(ctx) {
			const { services } = ctx;
			const body = await jsonBody(ctx, bulkBody);
			let codes: string[];
			let principal: Principal;
			if (body.districtCode) {
				principal = await ctx.authorise('site.mode', { districtCode: body.districtCode });
				codes = await siteCodesOfDistrict(services.handle.db, body.districtCode);
				if (codes.length === 0)
					throw new HttpError(404, `no sites in district ${body.districtCode}`);
			} else {
				codes = [...new Set(body.siteCodes!)];
				const districts = new Map<string, string | null>();
				for (const c of codes)
					districts.set(
						c,
						services.live.siteDistrict(c) ?? (await siteDistrictOf(services.handle.db, c))
					);
				const known = [...new Set([...districts.values()].filter((d): d is string => !!d))];
				principal = await ctx.authorise('site.mode', { districtCode: known[0] ?? '' });
				const refused = known.filter((d) => !can(principal, 'site.mode', { districtCode: d }));
				if (refused.length) {
					throw new HttpError(
						403,
						`forbidden: ${actorName(principal)} may not site.mode in district ${refused.join(', ')}`
					);
				}
				const unknown = codes.filter((c) => !districts.get(c));
				if (unknown.length) throw new HttpError(404, `unknown site: ${unknown.join(', ')}`);
			}
			const answer = await fallbackCall(() =>
				services.fallback.switchModes(actorOf(ctx, principal), {
					siteCodes: codes,
					mode: body.mode,
					reason: body.reason,
					reasonCode: body.reasonCode
				})
			);
			sendJson(ctx.res, 200, answer);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sites/:code/backfill',
		async handle(ctx) {
			const { code, principal } = await siteFor(ctx, 'site.backfill');
			const type = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
			if (!csvTypes.has(type)) {
				throw new HttpError(
					400,
					`send the paper register as text/csv (got ${type || 'no content type'})`
				);
			}
			const text = await ctx.body();
			const filename =
				(ctx.url.searchParams.get('filename') ?? ctx.req.headers['x-filename'])
					?.toString()
					.slice(0, 200) || null;
			const answer = await fallbackCall(() =>
				ctx.services.fallback.backfill(actorOf(ctx, principal), code, text, {
					dryRun: truthy(ctx.url.searchParams.get('dryRun')),
					filename
				})
			);
			sendJson(ctx.res, 200, answer);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sites/:code/backfill',
		async handle(ctx) {
			const { code } = await siteFor(ctx, 'site.backfill');
			sendJson(ctx.res, 200, { uploads: await ctx.services.fallback.uploads(code) });
		}
	},
	{
		method: 'GET',
		path: '/api/v1/backfill/:id',
		async handle(ctx) {
			const id = ctx.params.id;
			const valid = z.uuid().safeParse(id).success;
			const upload = valid ? await getBackfillUpload(ctx.services.handle.db, id) : null;
			await ctx.authorise('site.backfill', { districtCode: upload?.districtCode ?? '' });
			const report = upload ? await ctx.services.fallback.report(id) : null;
			if (!report) throw new HttpError(404, 'no such upload');
			sendJson(ctx.res, 200, report);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sites/:code/register',
		async handle(ctx) {
			const { code, principal } = await siteFor(ctx, 'site.mode');
			const body = await jsonBody(ctx, countBody);
			await fallbackCall(() =>
				ctx.services.fallback.reportRegister(actorOf(ctx, principal), code, body.registerCount)
			);
			sendJson(ctx.res, 200, { ok: true, registerCount: body.registerCount });
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sites/:code/reconcile',
		async handle(ctx) {
			const { code, principal } = await siteFor(ctx, 'site.mode');
			const body = await jsonBody(ctx, countBody);
			const episode = await fallbackCall(() =>
				ctx.services.fallback.reconcile(actorOf(ctx, principal), code, body.registerCount)
			);
			sendJson(ctx.res, 200, episode);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/fallback',
		async handle(ctx) {
			const scope = scopeOf(await ctx.authorise('snapshot.read'));
			const summary = await ctx.services.fallback.summary({
				districts: scope.all ? undefined : scope.districts
			});
			sendJson(ctx.res, 200, summary);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/notifications/:id/retry',
		async handle(ctx) {
			const id = ctx.params.id;
			const valid = z.uuid().safeParse(id).success;
			const district = valid ? await ctx.services.fallback.notificationDistrict(id) : null;
			await ctx.authorise('site.mode', { districtCode: district ?? '' });
			if (!district) throw new HttpError(404, 'no such message');
			sendJson(ctx.res, 200, await fallbackCall(() => ctx.services.fallback.retry(id)));
		}
	}
];
