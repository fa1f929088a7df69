import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
	it('hashes with argon2id and a fresh salt each time', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(a).not.toBe(b);
	});

	it('verifies the right password only', async () => {
		const stored = await hashPassword('correct horse battery');
		expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(stored, 'correct horse batterz')).toBe(false);
		expect(await verifyPassword(stored, '')).toBe(false);
	});

	it('treats a malformed stored hash as no match', async () => {
		expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
	});
});
