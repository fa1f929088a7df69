import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { appTimeZone, database } from '$lib/server/app-context';
import { credentialsRevoked } from '$lib/server/auth/revocation';
import { hashToken, newToken } from '$lib/server/auth/token';
import { appendAudit } from '$lib/server/db/queries/audit';
import { findTokenById, insertToken, listTokens, revokeToken } from '$lib/server/db/queries/token';
import { tokenScopes } from '$lib/server/db/schema';
import type { Actions, PageServerLoad } from './$types';

// Who may open this page and run its actions is decided by the request hook
// (policy.ts pageActions: tokens.manage), for loads and form actions alike.

export const load: PageServerLoad = async () => {
	const tokens = await listTokens(database());
	return {
		tokens: tokens.map((t) => ({
			id: t.id,
			name: t.name,
			scopes: t.scopes,
			createdAt: t.createdAt.toISOString(),
			lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
			revokedAt: t.revokedAt?.toISOString() ?? null
		})),
		scopes: [...tokenScopes],
		timeZone: appTimeZone()
	};
};

const createForm = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Give the token a name that says who uses it.')
		.max(100, 'A name is at most 100 characters.'),
	scopes: z
		.array(z.enum(tokenScopes, { error: 'Choose ingest, read or both.' }))
		.min(1, 'Choose at least one scope.')
});

export const actions = {
	create: async ({ request, locals, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const values = {
			name: String(form.get('name') ?? ''),
			scopes: form.getAll('scopes').map(String)
		};
		const parsed = createForm.safeParse(values);
		if (!parsed.success) {
			const problems: Record<string, string> = {};
			for (const issue of parsed.error.issues) problems[String(issue.path[0])] ??= issue.message;
			return fail(400, { action: 'create', values, problems });
		}
		const db = database();
		const token = newToken();
		const scopes = [...new Set(parsed.data.scopes)];
		const id = await insertToken(db, {
			name: parsed.data.name,
			tokenHash: hashToken(token),
			scopes
		});
		await appendAudit(db, {
			actor: locals.user!.username,
			action: 'token.create',
			target: id,
			detail: { name: parsed.data.name, scopes },
			ip: getClientAddress()
		});
		// The token is in this answer only: never cached, never shown again.
		setHeaders({ 'cache-control': 'no-store' });
		return {
			action: 'create',
			ok: true,
			message: `Created ${parsed.data.name}. Copy the token now: it is not shown again.`,
			created: { id, name: parsed.data.name, scopes, token }
		};
	},

	revoke: async ({ request, locals, getClientAddress }) => {
		const form = await request.formData();
		const id = z.uuid().safeParse(form.get('id'));
		const db = database();
		const token = id.success ? await findTokenById(db, id.data) : null;
		if (!token) return fail(404, { action: 'revoke', message: 'No such token; reload the page.' });
		if (token.revokedAt) {
			return fail(409, { action: 'revoke', message: `${token.name} was already revoked.` });
		}
		await revokeToken(db, token.id, new Date());
		await appendAudit(db, {
			actor: locals.user!.username,
			action: 'token.revoke',
			target: token.id,
			detail: { name: token.name },
			ip: getClientAddress()
		});
		await credentialsRevoked();
		return {
			action: 'revoke',
			ok: true,
			message: `Revoked ${token.name}; it stopped working at once.`
		};
	}
} satisfies Actions;
