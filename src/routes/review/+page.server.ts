import { error, fail } from '@sveltejs/kit';
import { appTimeZone, database } from '$lib/server/app-context';
import { can, scopeOf, userPrincipal } from '$lib/server/auth/policy';
import { appendAudit } from '$lib/server/db/queries/audit';
import { targetsOn, upsertTargets, type TargetInput } from '$lib/server/db/queries/review';
import { districtIndex, listDistricts } from '$lib/server/db/queries/site';
import { readReview, ReviewRequestError } from '$lib/server/review/read';
import { parseTargetsCsv } from '$lib/server/review/targets-csv';
import { defaultReviewParams, parseReviewParams, reviewSearch } from '$lib/shared/review-params';
import { localDate } from '$lib/shared/time';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The largest targets file taken from the page (a year of 36 districts is ~500 kB). */
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Who may open this page is decided by the request hook (policy.ts pageActions:
// review.read); changing targets needs targets.edit, checked in each action.
export const load: PageServerLoad = async ({ url, locals }) => {
	const principal = userPrincipal(locals.user!);
	const timeZone = appTimeZone();
	const db = database();
	const now = new Date();
	const today = localDate(now, timeZone);
	const parsed = parseReviewParams(url.searchParams, today);
	// A bad query shows the default review with the problem named beside the filters.
	const params = parsed.ok ? parsed.params : defaultReviewParams(today);
	let review;
	try {
		review = await readReview(db, { params, scope: scopeOf(principal), timeZone, now });
	} catch (e) {
		if (e instanceof ReviewRequestError) error(e.status, e.message);
		throw e;
	}

	const canEdit = can(principal, 'targets.edit');
	const asked = url.searchParams.get('targetsDate') ?? '';
	const editDate = DATE.test(asked) ? asked : params.to;
	const held = canEdit ? await targetsOn(db, { date: editDate, districts: null }) : [];
	const heldBy = new Map(held.map((t) => [t.districtCode, t]));

	return {
		review,
		problems: parsed.ok ? [] : parsed.problems,
		search: reviewSearch(params),
		byDistrictSearch: reviewSearch(params, { byDistrict: '1' }),
		editor: canEdit
			? {
					date: editDate,
					rows: review.choices.map((d) => ({
						code: d.code,
						name: d.name,
						target: heldBy.get(d.code)?.target ?? null,
						registered: heldBy.get(d.code)?.registered ?? null,
						updatedBy: heldBy.get(d.code)?.updatedBy ?? null
					}))
				}
			: null
	};
};

function editor(event: RequestEvent) {
	const principal = userPrincipal(event.locals.user!);
	if (!can(principal, 'targets.edit')) error(403, 'Your account may not change targets.');
	return { actor: event.locals.user!.username, ip: event.getClientAddress() };
}

/** A form field as a count: blank is null, anything else must be a whole number ≥ 0. */
function countField(value: FormDataEntryValue | null): number | null | { error: string } {
	const text = typeof value === 'string' ? value.trim().replace(/[,\s]/g, '') : '';
	if (text === '') return null;
	if (!/^\d{1,10}$/.test(text) || Number(text) > 2_147_483_647) {
		return { error: 'must be a whole number of 0 or more' };
	}
	return Number(text);
}

export const actions: Actions = {
	/** The inline editor: one day's target and registered count for every district shown. */
	saveTargets: async (event) => {
		const who = editor(event);
		const db = database();
		const form = await event.request.formData();
		const date = String(form.get('date') ?? '');
		if (!DATE.test(date)) return fail(400, { action: 'saveTargets', message: 'No valid date.' });
		const districts = await listDistricts(db);
		const held = new Map(
			(await targetsOn(db, { date, districts: null })).map((t) => [t.districtCode, t])
		);
		const errors: Record<string, string> = {};
		const changes: TargetInput[] = [];
		for (const d of districts) {
			if (!form.has(`target:${d.code}`) && !form.has(`registered:${d.code}`)) continue;
			const target = countField(form.get(`target:${d.code}`));
			const registered = countField(form.get(`registered:${d.code}`));
			const problems = [
				typeof target === 'object' && target !== null ? `target ${target.error}` : null,
				typeof registered === 'object' && registered !== null
					? `registered ${registered.error}`
					: null
			].filter(Boolean);
			if (problems.length > 0) {
				errors[d.code] = `${d.name}: ${problems.join('; ')}`;
				continue;
			}
			const before = held.get(d.code);
			if ((before?.target ?? null) === target && (before?.registered ?? null) === registered) {
				continue;
			}
			changes.push({
				districtCode: d.code,
				date,
				target: target as number | null,
				registered: registered as number | null
			});
		}
		if (Object.keys(errors).length > 0) {
			return fail(400, {
				action: 'saveTargets',
				message: Object.values(errors).join('. '),
				errors
			});
		}
		if (changes.length === 0) {
			return { action: 'saveTargets', message: 'Nothing had changed.' };
		}
		await db.transaction(async (tx) => {
			await upsertTargets(tx, changes, who.actor);
			await appendAudit(tx, {
				actor: who.actor,
				ip: who.ip,
				action: 'targets.edit',
				target: date,
				detail: {
					date,
					districts: changes.map((c) => ({
						district: c.districtCode,
						target: c.target,
						registered: c.registered
					}))
				}
			});
		});
		return {
			action: 'saveTargets',
			message: `Saved ${changes.length} district${changes.length === 1 ? '' : 's'} for ${date}.`
		};
	},

	/** A CSV of targets and registered counts; all or nothing, every bad row named. */
	importTargets: async (event) => {
		const who = editor(event);
		const db = database();
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { action: 'importTargets', message: 'Choose a CSV file to upload.' });
		}
		if (file.size > MAX_UPLOAD_BYTES) {
			return fail(413, {
				action: 'importTargets',
				message: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`
			});
		}
		const parsed = parseTargetsCsv(await file.text(), await districtIndex(db));
		if (parsed.rejected.length > 0) {
			return fail(400, {
				action: 'importTargets',
				message: `Nothing imported: ${parsed.rejected.length} row${parsed.rejected.length === 1 ? ' is' : 's are'} wrong.`,
				lines: parsed.rejected.slice(0, 50).map((r) => `Line ${r.line}: ${r.error}`)
			});
		}
		const written = await db.transaction(async (tx) => {
			const n = await upsertTargets(tx, parsed.rows, who.actor);
			await appendAudit(tx, {
				actor: who.actor,
				ip: who.ip,
				action: 'targets.import',
				detail: { file: file.name, rows: n }
			});
			return n;
		});
		return {
			action: 'importTargets',
			message: `Imported ${written} district-day row${written === 1 ? '' : 's'} from ${file.name}.`
		};
	}
};
