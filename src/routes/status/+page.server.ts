import { error, fail } from '@sveltejs/kit';
import { can, userPrincipal } from '$lib/server/auth/policy';
import { loadConfig, type Config } from '$lib/server/config';
import type { DbHandle } from '$lib/server/db/client';
import { appendAudit } from '$lib/server/db/queries/audit';
import { updateStatusNotice } from '$lib/server/db/queries/health';
import { formValues, parseNoticeForm, type FieldErrors } from '$lib/server/health/forms';
import { readStatusPage } from '$lib/server/health/read';
import { lookup } from '$lib/server/registry';
import type { Actions, PageServerLoad } from './$types';

let config: Config | undefined;

/** A refused save: what was typed comes back with what was wrong, beside its component. */
const refuse = (
	status: number,
	component: string,
	values: Record<string, string>,
	errors: FieldErrors
) => fail(status, { component, values, errors });

function database() {
	const handle = lookup<DbHandle>('db');
	if (!handle) error(503, 'The command centre is starting; try again in a moment.');
	return handle.db;
}

/**
 * The field status page: open to anyone who can reach the server (site staff have no
 * accounts), since it names no person and no site; only state officers change its words.
 */
export const load: PageServerLoad = async ({ locals }) => {
	config ??= loadConfig();
	const principal = locals.user ? userPrincipal(locals.user) : null;
	return {
		at: new Date().toISOString(),
		components: await readStatusPage(database()),
		timeZone: config.APP_TIMEZONE,
		canEdit: principal !== null && can(principal, 'status.edit'),
		canEditTargets: principal !== null && can(principal, 'probe.manage')
	};
};

export const actions = {
	save: async ({ request, locals, getClientAddress }) => {
		const user = locals.user;
		if (!user) error(401, 'Sign in to change the status page.');
		const principal = userPrincipal(user);
		if (!can(principal, 'status.edit'))
			error(403, 'Only state officers may change the status page.');
		const form = await request.formData();
		const values = formValues(form);
		const parsed = parseNoticeForm(form);
		if (!parsed.ok) return refuse(400, values.component ?? '', values, parsed.errors);
		const { component, targets, ...patch } = parsed.value;
		const db = database();
		// Which health targets make up a component is an administrator's setting.
		const change = can(principal, 'probe.manage') && targets ? { ...patch, targets } : patch;
		const row = await updateStatusNotice(db, component, change, user.username);
		if (!row) return refuse(404, component, values, { form: 'No such component on the page.' });
		await appendAudit(db, {
			actor: user.username,
			action: 'status.notice',
			target: component,
			detail: { ...change },
			ip: getClientAddress()
		});
		return { saved: component };
	}
} satisfies Actions;
