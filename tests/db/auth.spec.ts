import { describe, expect, it } from 'vitest';
import { createUserCommand } from '../../server/admin/commands/create-user';
import { revokeSessionsCommand } from '../../server/admin/commands/revoke-sessions';
import { FailureLimiter, LOCK_MS, MAX_FAILURES, signIn } from '../../src/lib/server/auth/login';
import {
	resolveSession,
	revokeUserSession,
	SESSION_LIFETIME_MS
} from '../../src/lib/server/auth/session';
import { listAudit } from '../../src/lib/server/db/queries/audit';
import {
	findUserByUsername,
	listUsers,
	setUserDisabled
} from '../../src/lib/server/db/queries/user';
import { forEachDatabase } from './databases';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong horse battery';
const MIN = 60 * 1000;
const t0 = new Date('2025-01-16T04:30:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

forEachDatabase('accounts', (handle) => {
	const db = () => handle().db;
	let n = 0;

	/** A fresh user per test, so tests never share failure counts or sessions. */
	async function newUser(role = 'state_officer', districts: string[] = []) {
		const username = `user${++n}`;
		await createUserCommand(db(), { username, role, districts, password: PASSWORD });
		return username;
	}

	const attempt = (username: string, password: string, now: Date, limiter = new FailureLimiter()) =>
		signIn(db(), { username, password, ip: '10.1.2.3', userAgent: 'vitest', now }, limiter);

	describe('create-user', () => {
		it('stores a user with a hashed password and records it in the audit log', async () => {
			const message = await createUserCommand(db(), {
				username: 'Pune.Officer',
				role: 'district_officer',
				districts: ['MH-PUN', 'MH-PUN'],
				password: PASSWORD,
				displayName: 'Pune DIO'
			});
			expect(message).toBe('Created district_officer pune.officer for MH-PUN.');

			const user = await findUserByUsername(db(), { username: 'pune.officer' });
			expect(user).toMatchObject({ role: 'district_officer', districts: ['MH-PUN'] });
			expect(user?.passwordHash).toMatch(/^\$argon2id\$/);

			const listed = (await listUsers(db())).find((u) => u.username === 'pune.officer');
			expect(listed).toBeDefined();
			expect(listed).not.toHaveProperty('passwordHash');

			const [entry] = await listAudit(db(), { limit: 1, action: 'user.create' });
			expect(entry).toMatchObject({ actor: 'admin-cli', target: 'pune.officer' });
		});

		it.each([
			[{ role: 'root', districts: [] }, /role: must be one of/],
			[{ role: 'district_officer', districts: [] }, /needs at least one district/],
			[{ role: 'secretary', districts: ['MH-PUN'] }, /only district officers/],
			[{ role: 'helpdesk', districts: [], password: 'short' }, /at least 10 characters/],
			[{ role: 'helpdesk', districts: [], username: 'a b' }, /username: 3–64 characters/]
		])('refuses %o', async (bad, message) => {
			await expect(
				createUserCommand(db(), { username: `bad${++n}`, password: PASSWORD, ...bad })
			).rejects.toThrow(message);
		});

		it('refuses a username that exists', async () => {
			const username = await newUser();
			await expect(
				createUserCommand(db(), { username, role: 'helpdesk', districts: [], password: PASSWORD })
			).rejects.toThrow(/already exists/);
		});
	});

	describe('sign-in', () => {
		it('signs in with the right password and the session resolves to the user', async () => {
			const username = await newUser('district_officer', ['MH-NSK']);
			const result = await attempt(username.toUpperCase(), PASSWORD, t0);
			if (!result.ok) throw new Error(`expected success, got ${result.reason}`);
			expect(result.session.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(result.session.expiresAt).toEqual(at(SESSION_LIFETIME_MS));

			const resolved = await resolveSession(db(), result.session.cookieValue, at(MIN));
			expect(resolved?.user).toEqual({
				id: result.user.id,
				username,
				displayName: username,
				role: 'district_officer',
				districts: ['MH-NSK']
			});
			expect(resolved?.renewed).toBe(false);

			const [entry] = await listAudit(db(), { limit: 1, action: 'auth.sign_in' });
			expect(entry).toMatchObject({ actor: username, ip: '10.1.2.3', target: result.user.id });
		});

		it('refuses a wrong password and an unknown username with the same answer', async () => {
			const username = await newUser();
			expect(await attempt(username, WRONG, t0)).toEqual({ ok: false, reason: 'invalid' });
			expect(await attempt('nobody-here', PASSWORD, t0)).toEqual({ ok: false, reason: 'invalid' });
			expect((await findUserByUsername(db(), { username }))?.failedLogins).toBe(1);

			const failures = await listAudit(db(), { limit: 2, action: 'auth.sign_in_failed' });
			expect(failures.map((f) => [f.actor, (f.detail as { reason: string }).reason])).toEqual([
				['nobody-here', 'unknown_user'],
				[username, 'wrong_password']
			]);
		});

		it(`locks a username after ${MAX_FAILURES} failures in a row, even for the right password`, async () => {
			const username = await newUser();
			for (let i = 1; i < MAX_FAILURES; i++) {
				expect(await attempt(username, WRONG, at(i * 1000))).toMatchObject({ reason: 'invalid' });
			}
			const lockedAt = at(MAX_FAILURES * 1000);
			expect(await attempt(username, WRONG, lockedAt)).toEqual({
				ok: false,
				reason: 'locked',
				lockedUntil: new Date(lockedAt.getTime() + LOCK_MS)
			});
			expect(await attempt(username, PASSWORD, at(MIN))).toMatchObject({
				ok: false,
				reason: 'locked'
			});

			const [locked] = await listAudit(db(), { limit: 1, action: 'auth.locked' });
			expect(locked).toMatchObject({ actor: username });
		});

		it('lets the user in once the lock has passed, and starts counting afresh', async () => {
			const username = await newUser();
			for (let i = 0; i < MAX_FAILURES; i++) await attempt(username, WRONG, t0);
			expect(await attempt(username, PASSWORD, at(LOCK_MS - 1000))).toMatchObject({
				reason: 'locked'
			});
			expect(await attempt(username, PASSWORD, at(LOCK_MS + 1000))).toMatchObject({ ok: true });
			expect(await findUserByUsername(db(), { username })).toMatchObject({
				failedLogins: 0,
				lockedUntil: null
			});
		});

		it('counts only consecutive failures: a success resets the count', async () => {
			const username = await newUser();
			for (let i = 0; i < MAX_FAILURES - 1; i++) await attempt(username, WRONG, t0);
			expect(await attempt(username, PASSWORD, t0)).toMatchObject({ ok: true });
			for (let i = 0; i < MAX_FAILURES - 1; i++) {
				expect(await attempt(username, WRONG, t0)).toMatchObject({ reason: 'invalid' });
			}
		});

		it('refuses an address with too many failures, whatever the username', async () => {
			const username = await newUser();
			const limiter = new FailureLimiter(3, 10 * MIN);
			for (const name of ['x1', 'x2', 'x3']) await attempt(name, WRONG, t0, limiter);
			expect(await attempt(username, PASSWORD, at(MIN), limiter)).toEqual({
				ok: false,
				reason: 'rate_limited',
				retryAfterSeconds: 9 * 60
			});
			expect(await attempt(username, PASSWORD, at(10 * MIN), limiter)).toMatchObject({
				ok: true
			});
		});

		it('refuses a disabled user and drops their sessions', async () => {
			const username = await newUser();
			const first = await attempt(username, PASSWORD, t0);
			if (!first.ok) throw new Error('expected success');
			await setUserDisabled(db(), { userId: first.user.id, disabledAt: t0 });

			expect(await attempt(username, PASSWORD, at(MIN))).toEqual({ ok: false, reason: 'invalid' });
			expect(await resolveSession(db(), first.session.cookieValue, at(MIN))).toBeNull();
			const [entry] = await listAudit(db(), { limit: 1, action: 'auth.sign_in_failed' });
			expect(entry.detail).toEqual({ reason: 'disabled' });
		});

		it('never writes a password to the audit log', async () => {
			const rows = await listAudit(db(), { limit: 1000 });
			expect(rows.length).toBeGreaterThan(0);
			const text = JSON.stringify(rows);
			expect(text).not.toContain(PASSWORD);
			expect(text).not.toContain(WRONG);
		});
	});

	describe('sessions', () => {
		async function signedIn() {
			const username = await newUser();
			const result = await attempt(username, PASSWORD, t0);
			if (!result.ok) throw new Error('expected success');
			return { username, cookie: result.session.cookieValue };
		}

		it('no longer resolves a revoked session', async () => {
			const { cookie } = await signedIn();
			await revokeUserSession(db(), cookie, at(MIN));
			expect(await resolveSession(db(), cookie, at(2 * MIN))).toBeNull();
		});

		it('holds until its end without use', async () => {
			const { cookie } = await signedIn();
			expect(await resolveSession(db(), cookie, at(SESSION_LIFETIME_MS - 1000))).not.toBeNull();
		});

		it('slides: use after the first hour extends it to a full lifetime from then', async () => {
			const later = at(2 * 60 * MIN);
			const newEnd = new Date(later.getTime() + SESSION_LIFETIME_MS);

			const a = await signedIn();
			const resolved = await resolveSession(db(), a.cookie, later);
			expect(resolved?.renewed).toBe(true);
			expect(resolved?.expiresAt).toEqual(newEnd);
			expect(await resolveSession(db(), a.cookie, new Date(newEnd.getTime() + 1))).toBeNull();

			// Past the original end, an extended session still holds.
			const b = await signedIn();
			await resolveSession(db(), b.cookie, later);
			expect(await resolveSession(db(), b.cookie, at(SESSION_LIFETIME_MS + MIN))).not.toBeNull();
		});

		it('does not extend during the first hour', async () => {
			const { cookie } = await signedIn();
			const resolved = await resolveSession(db(), cookie, at(30 * MIN));
			expect(resolved).toMatchObject({ renewed: false, expiresAt: at(SESSION_LIFETIME_MS) });
		});

		it('does not resolve an unused session past its end', async () => {
			const { cookie } = await signedIn();
			expect(await resolveSession(db(), cookie, at(SESSION_LIFETIME_MS))).toBeNull();
		});

		it('ignores cookies that are not session ids', async () => {
			expect(await resolveSession(db(), undefined, t0)).toBeNull();
			expect(await resolveSession(db(), 'x'.repeat(43), t0)).toBeNull();
			expect(await resolveSession(db(), "' or 1=1 --", t0)).toBeNull();
		});

		it('revoke-sessions signs a person out everywhere', async () => {
			const { username, cookie } = await signedIn();
			const second = await attempt(username, PASSWORD, t0);
			if (!second.ok) throw new Error('expected success');

			expect(await revokeSessionsCommand(db(), { username }, at(MIN))).toBe(
				`Revoked 2 sessions of ${username}.`
			);
			expect(await resolveSession(db(), cookie, at(2 * MIN))).toBeNull();
			expect(await resolveSession(db(), second.session.cookieValue, at(2 * MIN))).toBeNull();
			await expect(revokeSessionsCommand(db(), { username: 'nobody-here' })).rejects.toThrow(
				/No user named/
			);
		});
	});
});
