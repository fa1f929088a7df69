import { describe, expect, it } from 'vitest';
import { AccountError, createAccount } from '../../src/lib/server/auth/accounts';
import { FailureLimiter, signIn } from '../../src/lib/server/auth/login';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import { createUserSession, hashSessionId } from '../../src/lib/server/auth/session';
import { hashToken, newToken } from '../../src/lib/server/auth/token';
import { listAudit } from '../../src/lib/server/db/queries/audit';
import {
	activeTokenIds,
	findTokenById,
	insertToken,
	revokeToken
} from '../../src/lib/server/db/queries/token';
import {
	activeSessionHashes,
	findUserById,
	findUserByUsername,
	listUsersWithActivity,
	revokeUserSessions,
	setPasswordHash,
	setUserDisabled
} from '../../src/lib/server/db/queries/user';
import { forEachDatabase } from './databases';

const PASSWORD = 'correct horse battery';
const HOUR = 60 * 60 * 1000;

forEachDatabase('accounts administration', (handle) => {
	const db = () => handle().db;
	let n = 0;
	const by = { actor: 'admin', ip: '10.0.0.1' };

	async function person(role = 'state_officer') {
		return createAccount(
			db(),
			{ username: `person${++n}`, role, districts: [], password: PASSWORD },
			by
		);
	}

	describe('createAccount', () => {
		it('records who created whom, and from where', async () => {
			const user = await createAccount(
				db(),
				{
					username: 'Nagpur.Officer',
					role: 'district_officer',
					districts: ['505'],
					password: PASSWORD,
					displayName: 'Nagpur DIO'
				},
				by,
				{ knownDistricts: ['505', '521'] }
			);
			expect(user).toMatchObject({ username: 'nagpur.officer', districts: ['505'] });
			const [entry] = await listAudit(db(), { limit: 1, action: 'user.create' });
			expect(entry).toMatchObject({ actor: 'admin', target: 'nagpur.officer', ip: '10.0.0.1' });
			expect(JSON.stringify(entry.detail)).not.toContain(PASSWORD);
		});

		it('names each problem by field', async () => {
			const attempt = createAccount(
				db(),
				{ username: 'x', role: 'root', districts: [], password: 'short' },
				by
			);
			await expect(attempt).rejects.toBeInstanceOf(AccountError);
			const error = (await attempt.catch((e) => e)) as AccountError;
			expect(Object.keys(error.problems).sort()).toEqual(['password', 'role', 'username']);
		});

		it('refuses districts that are not loaded, when told which are', async () => {
			const attempt = createAccount(
				db(),
				{ username: `do${++n}`, role: 'district_officer', districts: ['999'], password: PASSWORD },
				by,
				{ knownDistricts: ['505', '521'] }
			);
			await expect(attempt).rejects.toMatchObject({
				problems: { districts: 'unknown district 999' }
			});
		});
	});

	describe('listUsersWithActivity', () => {
		it('counts live sessions and shows the latest sign-in and activity', async () => {
			const user = await person();
			const now = new Date();
			await createUserSession(db(), user, { now: new Date(now.getTime() - 3 * HOUR) });
			await createUserSession(db(), user, { now: new Date(now.getTime() - HOUR) });
			const idle = await person();

			const rows = await listUsersWithActivity(db(), { now });
			const row = rows.find((r) => r.id === user.id)!;
			expect(row.activeSessions).toBe(2);
			expect(row.lastSignInAt?.getTime()).toBe(now.getTime() - HOUR);
			expect(row).not.toHaveProperty('passwordHash');
			expect(rows.find((r) => r.id === idle.id)).toMatchObject({
				activeSessions: 0,
				lastSignInAt: null,
				lastSeenAt: null
			});

			await revokeUserSessions(db(), { userId: user.id, now });
			const after = (await listUsersWithActivity(db(), { now })).find((r) => r.id === user.id)!;
			expect(after.activeSessions).toBe(0);
			expect(after.lastSignInAt).not.toBeNull();
		});
	});

	describe('credential re-checks', () => {
		it('keeps only sessions that are live and whose person is enabled', async () => {
			const a = await person();
			const b = await person();
			const now = new Date();
			const live = await createUserSession(db(), a, { now });
			const expired = await createUserSession(db(), a, {
				now: new Date(now.getTime() - 13 * HOUR)
			});
			const disabled = await createUserSession(db(), b, { now });
			await revokeUserSessions(db(), { userId: a.id, now: new Date(now.getTime() - 1) });
			const again = await createUserSession(db(), a, { now });
			await setUserDisabled(db(), { userId: b.id, disabledAt: now });

			const hashes = [live, expired, disabled, again].map((s) => hashSessionId(s.cookieValue));
			const valid = await activeSessionHashes(db(), { idHashes: hashes, now });
			// live was revoked with a's other sessions; only the one made after remains.
			expect(valid).toEqual([hashSessionId(again.cookieValue)]);
			expect(await activeSessionHashes(db(), { idHashes: [], now })).toEqual([]);
		});

		it('keeps only tokens not revoked', async () => {
			const ids = [];
			for (let i = 0; i < 3; i++) {
				ids.push(
					await insertToken(db(), {
						name: `t${i}`,
						tokenHash: hashToken(newToken()),
						scopes: ['read']
					})
				);
			}
			await revokeToken(db(), ids[1], new Date());
			expect((await activeTokenIds(db(), ids)).sort()).toEqual([ids[0], ids[2]].sort());
			expect(await findTokenById(db(), ids[1])).toMatchObject({ name: 't1', scopes: ['read'] });
			expect((await findTokenById(db(), ids[1]))?.revokedAt).toBeInstanceOf(Date);
		});
	});

	describe('password reset', () => {
		it('replaces the password and clears failures and the lock', async () => {
			const user = await person();
			const limiter = new FailureLimiter();
			for (let i = 0; i < 5; i++) {
				await signIn(
					db(),
					{ username: user.username, password: 'wrong password!', ip: null },
					limiter
				);
			}
			expect(
				(await findUserByUsername(db(), { username: user.username }))?.lockedUntil
			).not.toBeNull();

			await setPasswordHash(db(), {
				userId: user.id,
				passwordHash: await hashPassword('a new password 42')
			});
			const row = (await findUserByUsername(db(), { username: user.username }))!;
			expect(row.lockedUntil).toBeNull();
			expect(row.failedLogins).toBe(0);
			expect(await verifyPassword(row.passwordHash, 'a new password 42')).toBe(true);
			expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(false);
			expect(await findUserById(db(), { userId: user.id })).not.toHaveProperty('passwordHash');
		});
	});
});
