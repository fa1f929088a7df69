/**
 * SMS delivery: Twilio and SMPP report forms, the failure board, call lists with their
 * marks, fallback messages and resends (docs/sms.md, docs/api.md).
 */
import { scopeOf, type Principal } from '../../../src/lib/server/auth/policy';
import { siteForCallList } from '../../../src/lib/server/db/queries/sms-ops';
import { readSmsBoard } from '../../../src/lib/server/sms/board';
import { buildCallList, callListCsv } from '../../../src/lib/server/sms/call-list';
import { siteFallbackMessages } from '../../../src/lib/server/sms/fallback';
import { appendAudit } from '../../../src/lib/server/db/queries/audit';
import { isCalendarDate } from '../../feeds/parse/fields';
import { callOutcomes, type CallOutcome } from '../../../src/lib/shared/sms';
import { fallbackLanguages, isFallbackLanguage } from '../../../src/lib/shared/sms-text';
import { localDate } from '../../../src/lib/shared/time';
import { actorName } from '../../auth';
import { BodyError } from '../../feeds/parse';
import type { Parsed } from '../../feeds/parse/types';
import type { SmsReportRecord } from '../../../src/lib/shared/feeds';
import type { Services } from '../../services';
import { parseSmppBody } from '../../sms/smpp';
import { SmsRequestError } from '../../sms/service';
import { formPairs, parseTwilioBody, verifyTwilioSignature } from '../../sms/twilio';
import type { Route, RouteContext } from '../context';
import { HttpError, sendJson } from '../respond';

/** Gateways are told how to sign in again: Twilio retries with URL credentials after this. */
const BASIC_CHALLENGE = {
	'www-authenticate': 'Basic realm="launch-day-command-centre", charset="UTF-8"'
};

async function authoriseGateway(ctx: RouteContext): Promise<Principal> {
	try {
		return await ctx.authorise('feed.ingest');
	} catch (error) {
		if (error instanceof HttpError && error.status === 401)
			throw new HttpError(401, error.message, BASIC_CHALLENGE);
		throw error;
	}
}

/** Submit a report body's items through the one ingest path and answer as every feed does. */
async function ingestReports(
	ctx: RouteContext,
	parsed: Parsed<SmsReportRecord>,
	form: string
): Promise<void> {
	const { services, res } = ctx;
	const result = await services.ingest.submit('sms-reports', { parsed, form, quarantine: true });
	const counter = services.metrics.ingestItems;
	counter.inc({ feed: form, outcome: 'accepted' }, result.accepted);
	counter.inc({ feed: form, outcome: 'duplicate' }, result.duplicates);
	counter.inc({ feed: form, outcome: 'rejected' }, result.rejected.length);
	sendJson(res, 200, result);
}

/**
 * The URLs Twilio may have signed: on ORIGIN when configured (behind a proxy the public URL
 * is what Twilio called), else as the request says it was addressed (X-Forwarded-* first).
 */
function callbackUrls(ctx: RouteContext): string[] {
	const path = ctx.req.url ?? '/';
	const origin = ctx.services.config.ORIGIN;
	if (origin) return [new URL(path, origin).toString()];
	const h = ctx.req.headers;
	const first = (v: string | string[] | undefined) =>
		(Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
	const proto = first(h['x-forwarded-proto']) ?? 'http';
	const host = first(h['x-forwarded-host']) ?? h.host ?? 'localhost';
	return [`${proto}://${host}${path}`];
}

function requireDate(value: string | null, timeZone: string): string {
	if (value === null || value === '') return localDate(new Date(), timeZone);
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m || !isCalendarDate(+m[1], +m[2], +m[3]))
		throw new HttpError(400, `date: must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
	return value;
}

/** The site named in the path, and the caller allowed `action` in its district. */
async function siteFor(
	ctx: RouteContext,
	action: 'calllist.download' | 'calllist.mark' | 'sms.resend'
) {
	const site = await siteForCallList(ctx.services.handle.db, ctx.params.code);
	// Unknown and out-of-scope sites are told apart only after the credential checks out.
	if (!site) {
		await ctx.authorise(action);
		throw new HttpError(404, `unknown site: ${ctx.params.code}`);
	}
	const principal = await ctx.authorise(action, { districtCode: site.districtCode });
	return { site, principal };
}

async function jsonBody(ctx: RouteContext): Promise<Record<string, unknown>> {
	const text = await ctx.body();
	try {
		const body = JSON.parse(text) as unknown;
		if (body && typeof body === 'object' && !Array.isArray(body))
			return body as Record<string, unknown>;
	} catch {
		// Answered below, the same as a body that is JSON but not an object.
	}
	throw new HttpError(400, 'expected a JSON object');
}

function clientIp(ctx: RouteContext): string | null {
	return ctx.req.socket.remoteAddress ?? null;
}

function serviceErrors<T>(run: () => Promise<T>): Promise<T> {
	return run().catch((error) => {
		if (error instanceof SmsRequestError) throw new HttpError(error.status, error.message);
		throw error;
	});
}

function boardOptions(services: Services, principal: Principal) {
	const scope = scopeOf(principal);
	return {
		now: new Date(),
		timeZone: services.config.APP_TIMEZONE,
		noReportMinutes: services.config.SMS_NO_REPORT_MINUTES,
		districts: scope.all ? null : scope.districts
	};
}

export const smsRoutes: Route[] = [
	{
		method: 'POST',
		path: '/api/v1/sms/twilio',
		async handle(ctx) {
			await authoriseGateway(ctx);
			const text = await ctx.body();
			const contentType = ctx.req.headers['content-type'] ?? '';
			const authToken = ctx.services.config.TWILIO_AUTH_TOKEN;
			if (authToken) {
				const signature = ctx.req.headers['x-twilio-signature'];
				const given = Array.isArray(signature) ? signature[0] : signature;
				const pairs = /json/i.test(contentType) ? [] : formPairs(text);
				const ok = callbackUrls(ctx).some((url) =>
					verifyTwilioSignature(authToken, url, pairs, given)
				);
				if (!ok)
					throw new HttpError(
						403,
						given
							? 'forbidden: X-Twilio-Signature does not match this URL and body'
							: 'forbidden: X-Twilio-Signature is required'
					);
			}
			let parsed;
			try {
				parsed = parseTwilioBody(text, contentType, new Date());
			} catch (error) {
				if (error instanceof BodyError) throw new HttpError(400, error.message);
				throw error;
			}
			await ingestReports(ctx, parsed, 'sms-reports/twilio');
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sms/smpp-dlr',
		async handle(ctx) {
			await authoriseGateway(ctx);
			const type = (ctx.req.headers['content-type'] ?? 'text/plain')
				.split(';')[0]
				.trim()
				.toLowerCase();
			if (type !== 'text/plain' && type !== 'application/octet-stream')
				throw new HttpError(
					400,
					`unsupported content type ${type}: send text/plain, one receipt per line`
				);
			const text = await ctx.body();
			const { config } = ctx.services;
			const parsed = parseSmppBody(
				text,
				{ timeZone: config.SMPP_DLR_TIMEZONE ?? config.APP_TIMEZONE },
				new Date()
			);
			if (parsed.items.length === 0 && parsed.rejected.length === 0)
				throw new HttpError(400, 'empty body: expected SMPP delivery receipts, one per line');
			await ingestReports(ctx, parsed, 'sms-reports/smpp');
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sms/board',
		async handle(ctx) {
			const principal = await ctx.authorise('snapshot.read');
			const hours = Number(ctx.url.searchParams.get('hours') ?? 6);
			if (!Number.isInteger(hours) || hours < 1 || hours > 48)
				throw new HttpError(400, 'hours: must be a whole number from 1 to 48');
			const board = await readSmsBoard(ctx.services.handle.db, {
				...boardOptions(ctx.services, principal),
				hours
			});
			sendJson(ctx.res, 200, board);
		}
	},
	{
		// Delivery per district, for the map layer: the board's table without the rest.
		method: 'GET',
		path: '/api/v1/sms/districts',
		async handle(ctx) {
			const principal = await ctx.authorise('snapshot.read');
			const board = await readSmsBoard(ctx.services.handle.db, {
				...boardOptions(ctx.services, principal),
				hours: 1,
				worstSites: 0
			});
			sendJson(ctx.res, 200, {
				day: board.day,
				at: board.at,
				noReportMinutes: board.noReportMinutes,
				districts: board.districts
			});
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sites/:code/call-list',
		async handle(ctx) {
			const { site, principal } = await siteFor(ctx, 'calllist.download');
			const { config } = ctx.services;
			const date = requireDate(ctx.url.searchParams.get('date'), config.APP_TIMEZONE);
			const entries = await buildCallList(ctx.services.handle.db, {
				siteCode: site.code,
				date,
				now: new Date(),
				noReportMinutes: config.SMS_NO_REPORT_MINUTES,
				timeZone: config.APP_TIMEZONE,
				viewer: principal
			});
			sendJson(ctx.res, 200, {
				site,
				date,
				noReportMinutes: config.SMS_NO_REPORT_MINUTES,
				entries
			});
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sites/:code/call-list.csv',
		async handle(ctx) {
			const { site, principal } = await siteFor(ctx, 'calllist.download');
			const { config, handle } = ctx.services;
			const date = requireDate(ctx.url.searchParams.get('date'), config.APP_TIMEZONE);
			const pending = ['1', 'true', 'yes'].includes(ctx.url.searchParams.get('pending') ?? '');
			const all = await buildCallList(handle.db, {
				siteCode: site.code,
				date,
				now: new Date(),
				noReportMinutes: config.SMS_NO_REPORT_MINUTES,
				timeZone: config.APP_TIMEZONE,
				viewer: principal
			});
			const entries = pending ? all.filter((e) => !e.mark) : all;
			const csv = callListCsv(entries);
			// Written before the list leaves: a download that cannot be recorded does not happen.
			await appendAudit(handle.db, {
				actor: actorName(principal),
				action: 'calllist.download',
				target: `site:${site.code}`,
				detail: { date, format: 'csv', rows: entries.length, pending },
				ip: clientIp(ctx)
			});
			const body = Buffer.from(csv, 'utf8');
			ctx.res.writeHead(200, {
				'content-type': 'text/csv; charset=utf-8',
				'content-length': body.length,
				'content-disposition': `attachment; filename="call-list-${site.code.replace(/[^\w.-]/g, '_')}-${date}.csv"`,
				'cache-control': 'no-store'
			});
			ctx.res.end(body);
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sites/:code/call-list/marks',
		async handle(ctx) {
			const { site, principal } = await siteFor(ctx, 'calllist.mark');
			const body = await jsonBody(ctx);
			const date = requireDate(
				typeof body.date === 'string' ? body.date : '',
				ctx.services.config.APP_TIMEZONE
			);
			const ref = typeof body.beneficiaryRef === 'string' ? body.beneficiaryRef.trim() : '';
			if (!ref || ref.length > 200)
				throw new HttpError(400, 'beneficiaryRef: required, at most 200 characters');
			const outcome = body.outcome ?? null;
			if (outcome !== null && !(callOutcomes as readonly unknown[]).includes(outcome))
				throw new HttpError(
					400,
					`outcome: must be one of ${callOutcomes.join(', ')} or null (clear the mark)`
				);
			const mark = await serviceErrors(() =>
				ctx.services.sms.mark(principal, {
					siteCode: site.code,
					districtCode: site.districtCode,
					date,
					beneficiaryRef: ref,
					outcome: outcome as CallOutcome | null,
					ip: clientIp(ctx)
				})
			);
			sendJson(ctx.res, 200, mark);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/sites/:code/fallback-messages',
		async handle(ctx) {
			const { site } = await siteFor(ctx, 'calllist.download');
			const { config, handle } = ctx.services;
			const date = requireDate(ctx.url.searchParams.get('date'), config.APP_TIMEZONE);
			const messages = await siteFallbackMessages(handle.db, {
				siteCode: site.code,
				siteName: site.name,
				date,
				timeZone: config.APP_TIMEZONE
			});
			sendJson(ctx.res, 200, { site, date, ...messages });
		}
	},
	{
		method: 'POST',
		path: '/api/v1/sites/:code/resend',
		async handle(ctx) {
			const { site, principal } = await siteFor(ctx, 'sms.resend');
			const body = await jsonBody(ctx);
			const date = requireDate(
				typeof body.date === 'string' ? body.date : '',
				ctx.services.config.APP_TIMEZONE
			);
			const ids = body.messageIds;
			if (
				!Array.isArray(ids) ||
				ids.length === 0 ||
				!ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)
			)
				throw new HttpError(400, 'messageIds: a non-empty array of message ids');
			const language = body.language ?? 'en';
			if (!isFallbackLanguage(language))
				throw new HttpError(400, `language: must be one of ${fallbackLanguages.join(', ')}`);
			const answer = await serviceErrors(() =>
				ctx.services.sms.resend(principal, {
					siteCode: site.code,
					siteName: site.name,
					date,
					messageIds: ids as string[],
					language,
					ip: clientIp(ctx)
				})
			);
			sendJson(ctx.res, 200, answer);
		}
	}
];
