import { error, fail } from '@sveltejs/kit';
import { can, userPrincipal } from '$lib/server/auth/policy';
import type { DbHandle } from '$lib/server/db/client';
import { appendAudit } from '$lib/server/db/queries/audit';
import {
	deleteProbeTarget,
	listProbeTargets,
	saveProbeTarget
} from '$lib/server/db/queries/health';
import { HEALTH_CONTROL, type HealthControl } from '$lib/server/health/control';
import { formValues, parseProbeForm } from '$lib/server/health/forms';
import { lookup } from '$lib/server/registry';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** An administrator, and the database; anyone else is refused (the hook checks this too). */
function admin(event: Pick<RequestEvent, 'locals'>) {
	const user = event.locals.user;
	if (!user) error(401, 'Sign in first.');
	if (!can(userPrincipal(user), 'probe.manage'))
		error(403, 'Only an administrator may change the probes.');
	const handle = lookup<DbHandle>('db');
	if (!handle) error(503, 'The command centre is starting; try again in a moment.');
	return { user, db: handle.db };
}

/** Tell the running monitor at once (it also reads the table again every 30 s). */
const applyNow = () => lookup<HealthControl>(HEALTH_CONTROL)?.targetsChanged();

/** Postgres unique violation: two probes under one target name. */
const isDuplicate = (e: unknown) =>
	(e as { code?: string; cause?: { code?: string } })?.code === '23505' ||
	(e as { cause?: { code?: string } })?.cause?.code === '23505';

export const load: PageServerLoad = async (event) => {
	const { db } = admin(event);
	const targets = await listProbeTargets(db);
	return {
		targets: targets.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() }))
	};
};

export const actions = {
	save: async (event) => {
		const { user, db } = admin(event);
		const form = await event.request.formData();
		const values = formValues(form);
		const parsed = parseProbeForm(form);
		if (!parsed.ok) return fail(400, { id: values.id ?? '', values, errors: parsed.errors });
		let row;
		try {
			row = await saveProbeTarget(db, parsed.value, user.username);
		} catch (e) {
			if (!isDuplicate(e)) throw e;
			return fail(409, {
				id: values.id ?? '',
				values,
				errors: { target: `another probe already records as ${parsed.value.target}` }
			});
		}
		if (!row)
			return fail(404, {
				id: values.id ?? '',
				values,
				errors: { form: 'That probe was removed meanwhile.' }
			});
		await appendAudit(db, {
			actor: user.username,
			action: parsed.value.id ? 'probe.update' : 'probe.create',
			target: row.target,
			detail: { ...parsed.value },
			ip: event.getClientAddress()
		});
		applyNow();
		return { saved: row.target };
	},

	delete: async (event) => {
		const { user, db } = admin(event);
		const form = await event.request.formData();
		const id = String(form.get('id') ?? '');
		if (!/^[0-9a-f-]{36}$/i.test(id)) return fail(400, { id, errors: { form: 'Which probe?' } });
		const row = await deleteProbeTarget(db, id);
		if (!row) return fail(404, { id, errors: { form: 'That probe was removed already.' } });
		await appendAudit(db, {
			actor: user.username,
			action: 'probe.delete',
			target: row.target,
			detail: { url: row.url },
			ip: event.getClientAddress()
		});
		applyNow();
		return { deleted: row.target };
	}
} satisfies Actions;
