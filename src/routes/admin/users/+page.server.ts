import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { appTimeZone, database } from '$lib/server/app-context';
import {
	AccountError,
	createAccount,
	MIN_PASSWORD_LENGTH,
	passwordSchema
} from '$lib/server/auth/accounts';
import { hashPassword } from '$lib/server/auth/password';
import { credentialsRevoked } from '$lib/server/auth/revocation';
import { appendAudit } from '$lib/server/db/queries/audit';
import { listDistricts } from '$lib/server/db/queries/site';
import {
	findUserById,
	listUsersWithActivity,
	resetLoginFailures,
	revokeUserSessions,
	setPasswordHash,
	setUserDisabled,
	type UserSummary
} from '$lib/server/db/queries/user';
import { roles } from '$lib/server/db/schema';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Who may open this page and run its actions is decided by the request hook
// (policy.ts pageActions: users.manage), for loads and form actions alike.

export const load: PageServerLoad = async ({ locals }) => {
	const db = database();
	const now = new Date();
	const [users, districts] = await Promise.all([
		listUsersWithActivity(db, { now }),
		listDistricts(db)
	]);
	return {
		users: users.map((u) => ({
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			districts: u.districts,
			createdAt: u.createdAt.toISOString(),
			disabledAt: u.disabledAt?.toISOString() ?? null,
			lockedUntil: u.lockedUntil && u.lockedUntil > now ? u.lockedUntil.toISOString() : null,
			activeSessions: u.activeSessions,
			lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
			lastSeenAt: u.lastSeenAt?.toISOString() ?? null
		})),
		districts,
		roles: [...roles],
		me: locals.user!.id,
		minPasswordLength: MIN_PASSWORD_LENGTH,
		timeZone: appTimeZone()
	};
};

const userId = z.uuid();

/** The person a row action is about, or a failure the page shows. */
async function target(form: FormData, action: string) {
	const id = userId.safeParse(form.get('userId'));
	const user = id.success ? await findUserById(database(), { userId: id.data }) : undefined;
	if (!user) return { failure: fail(404, { action, message: 'No such person; reload the page.' }) };
	return { user };
}

function changedBy(event: RequestEvent) {
	return { actor: event.locals.user!.username, ip: event.getClientAddress() };
}

async function audit(event: RequestEvent, action: string, user: UserSummary, detail = {}) {
	await appendAudit(database(), {
		...changedBy(event),
		action,
		target: user.username,
		detail: { userId: user.id, ...detail }
	});
}

export const actions = {
	create: async (event) => {
		const form = await event.request.formData();
		const values = {
			username: String(form.get('username') ?? ''),
			displayName: String(form.get('displayName') ?? '').trim() || undefined,
			role: String(form.get('role') ?? ''),
			districts: form.getAll('districts').map(String)
		};
		const password = String(form.get('password') ?? '');
		if (password !== String(form.get('confirm') ?? '')) {
			return fail(400, {
				action: 'create',
				values,
				problems: { confirm: 'The two passwords are not the same.' } as Record<string, string>
			});
		}
		const db = database();
		try {
			const districts = (await listDistricts(db)).map((d) => d.code);
			const user = await createAccount(db, { ...values, password }, changedBy(event), {
				knownDistricts: districts
			});
			return { action: 'create', ok: true, message: `Added ${user.username}.` };
		} catch (error) {
			if (error instanceof AccountError) {
				return fail(400, { action: 'create', values, problems: error.problems });
			}
			throw error;
		}
	},

	disable: async (event) => {
		const form = await event.request.formData();
		const found = await target(form, 'disable');
		if (!found.user) return found.failure;
		const { user } = found;
		if (user.id === event.locals.user!.id) {
			return fail(400, { action: 'disable', message: 'You cannot disable your own account.' });
		}
		const now = new Date();
		const db = database();
		await setUserDisabled(db, { userId: user.id, disabledAt: now });
		// Revoked as well as refused, so enabling the person later does not bring old sessions back.
		const revoked = await revokeUserSessions(db, { userId: user.id, now });
		await audit(event, 'user.disable', user, { revokedSessions: revoked });
		await credentialsRevoked();
		return {
			action: 'disable',
			ok: true,
			message: `Disabled ${user.username}; signed out everywhere.`
		};
	},

	enable: async (event) => {
		const form = await event.request.formData();
		const found = await target(form, 'enable');
		if (!found.user) return found.failure;
		await setUserDisabled(database(), { userId: found.user.id, disabledAt: null });
		await audit(event, 'user.enable', found.user);
		return { action: 'enable', ok: true, message: `Enabled ${found.user.username}.` };
	},

	revokeSessions: async (event) => {
		const form = await event.request.formData();
		const found = await target(form, 'revokeSessions');
		if (!found.user) return found.failure;
		const { user } = found;
		const revoked = await revokeUserSessions(database(), { userId: user.id, now: new Date() });
		await audit(event, 'user.revoke_sessions', user, { revoked });
		await credentialsRevoked();
		return {
			action: 'revokeSessions',
			ok: true,
			message: `Signed ${user.username} out of ${revoked} session${revoked === 1 ? '' : 's'}.`
		};
	},

	unlock: async (event) => {
		const form = await event.request.formData();
		const found = await target(form, 'unlock');
		if (!found.user) return found.failure;
		await resetLoginFailures(database(), { userId: found.user.id });
		await audit(event, 'user.unlock', found.user);
		return { action: 'unlock', ok: true, message: `Unlocked ${found.user.username}.` };
	},

	resetPassword: async (event) => {
		const form = await event.request.formData();
		const found = await target(form, 'resetPassword');
		if (!found.user) return found.failure;
		const { user } = found;
		const password = passwordSchema.safeParse(String(form.get('password') ?? ''));
		if (!password.success) {
			return fail(400, {
				action: 'resetPassword',
				userId: user.id,
				message: `The new password ${password.error.issues[0].message}.`
			});
		}
		const db = database();
		await setPasswordHash(db, { userId: user.id, passwordHash: await hashPassword(password.data) });
		// Whoever knew the old password is signed out with it.
		const revoked = await revokeUserSessions(db, { userId: user.id, now: new Date() });
		await audit(event, 'user.reset_password', user, { revokedSessions: revoked });
		await credentialsRevoked();
		return {
			action: 'resetPassword',
			ok: true,
			message: `New password set for ${user.username}; their sessions were ended.`
		};
	}
} satisfies Actions;
