import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). The algorithm
 * is spelled as its number: the package declares `Algorithm` as an ambient const enum,
 * which isolatedModules cannot read.
 */
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;
const options: Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

/** False (never a throw) for a wrong password or a malformed stored hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false; // a malformed hash can match no password
	}
}
