import type { Db } from '../../../src/lib/server/db/client';
import { appendAudit } from '../../../src/lib/server/db/queries/audit';
import { findUserByUsername, revokeUserSessions } from '../../../src/lib/server/db/queries/user';

/** `admin revoke-sessions`: sign a person out everywhere, at once. */
export async function revokeSessionsCommand(
	db: Db,
	input: { username: string },
	now: Date = new Date()
): Promise<string> {
	const username = input.username.trim().toLowerCase();
	const user = await findUserByUsername(db, { username });
	if (!user) throw new Error(`No user named ${username}`);

	const count = await revokeUserSessions(db, { userId: user.id, now });
	await appendAudit(db, {
		actor: 'admin-cli',
		action: 'user.revoke_sessions',
		target: user.username,
		detail: { userId: user.id, revoked: count }
	});
	return `Revoked ${count} session${count === 1 ? '' : 's'} of ${user.username}.`;
}
