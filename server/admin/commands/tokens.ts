import { z } from 'zod';
import { newToken, hashToken } from '../../../src/lib/server/auth/token';
import type { Db } from '../../../src/lib/server/db/client';
import { appendAudit } from '../../../src/lib/server/db/queries/audit';
import { insertToken, listTokens, revokeToken } from '../../../src/lib/server/db/queries/token';
import { tokenScopes } from '../../../src/lib/server/db/schema';

const createArgs = z.object({
	name: z.string().trim().min(1, 'needs --name').max(100),
	scopes: z
		.array(z.enum(tokenScopes, { error: `scopes are ${tokenScopes.join(', ')}` }))
		.min(1, 'needs --scope ingest, read or ingest,read')
});

/** `admin create-token`: the token is shown once, alone on the last line; only its hash is kept. */
export async function createTokenCommand(
	db: Db,
	input: { name?: string; scope?: string }
): Promise<string> {
	const args = createArgs.parse({
		name: input.name ?? '',
		scopes: [
			...new Set(
				(input.scope ?? '')
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean)
			)
		]
	});
	const token = newToken();
	const id = await insertToken(db, {
		name: args.name,
		tokenHash: hashToken(token),
		scopes: args.scopes
	});
	await appendAudit(db, {
		actor: 'admin-cli',
		action: 'token.create',
		target: id,
		detail: { name: args.name, scopes: args.scopes }
	});
	return `created token "${args.name}" (${args.scopes.join(',')}) id ${id}; it is shown only once:\n${token}`;
}

export async function revokeTokenCommand(db: Db, input: { id?: string }): Promise<string> {
	const id = z.uuid('needs --id of a token (see list-tokens)').parse(input.id);
	if (!(await revokeToken(db, id, new Date()))) throw new Error(`no token with id ${id}`);
	await appendAudit(db, { actor: 'admin-cli', action: 'token.revoke', target: id });
	return `revoked token ${id}`;
}

export async function listTokensCommand(db: Db): Promise<string> {
	const rows = await listTokens(db);
	if (rows.length === 0) return 'no tokens';
	return rows
		.map(
			(t) =>
				`${t.id}  ${t.name}  ${t.scopes.join(',')}  created ${t.createdAt.toISOString()}  ` +
				`last used ${t.lastUsedAt?.toISOString() ?? 'never'}${t.revokedAt ? '  REVOKED' : ''}`
		)
		.join('\n');
}
