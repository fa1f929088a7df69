import { stringify } from 'csv-stringify/sync';
import { appTimeZone, database } from '$lib/server/app-context';
import { appendAudit, auditBatch, type AuditCursor } from '$lib/server/db/queries/audit';
import { isoInZone } from '$lib/shared/instant';
import { localDate } from '$lib/shared/time';
import { parseAuditQuery } from '../filter';
import type { RequestHandler } from './$types';

const BATCH = 1000;
const columns = ['id', 'at', 'actor', 'action', 'target', 'ip', 'detail'];

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or return) as a formula; a
 * leading apostrophe keeps such text as text (OWASP's advice for CSV injection).
 */
function cell(value: string | null): string {
	if (value === null) return '';
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The audit log as CSV, with the viewer's filters, newest first. Streamed in batches so a
 * long log is never held in memory; times are ISO-8601 in the state's time zone.
 */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	// The request hook has checked audit.read (policy.ts pageActions); a user is signed in.
	const timeZone = appTimeZone();
	const db = database();
	const { filter, problems } = parseAuditQuery(url.searchParams, timeZone);
	const problemText = Object.values(problems).join(' ');
	if (problemText) {
		return new Response(`${problemText}\n`, {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}

	await appendAudit(db, {
		actor: locals.user!.username,
		action: 'audit.export',
		detail: {
			action: filter.action ?? null,
			actor: filter.actor ?? null,
			from: filter.from?.toISOString() ?? null,
			to: filter.to?.toISOString() ?? null
		},
		ip: getClientAddress()
	});

	let cursor: AuditCursor | undefined;
	let first = true;
	let done = false;
	const body = new ReadableStream<string>({
		async pull(controller) {
			if (done) return controller.close();
			const { entries, next } = await auditBatch(db, { filter, after: cursor, limit: BATCH });
			const rows = entries.map((e) => [
				String(e.id),
				isoInZone(e.at, timeZone),
				cell(e.actor),
				cell(e.action),
				cell(e.target),
				cell(e.ip),
				e.detail === null ? '' : cell(JSON.stringify(e.detail))
			]);
			controller.enqueue(stringify(rows, { header: first, columns, record_delimiter: 'windows' }));
			first = false;
			if (next) cursor = next;
			else done = true;
		}
	});

	const filename = `audit-log-${localDate(new Date(), timeZone)}.csv`;
	return new Response(body.pipeThrough(new TextEncoderStream()), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
};
