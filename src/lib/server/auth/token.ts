import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens are 32 random bytes, so a fast SHA-256 is the right hash at rest: there is
 * nothing to brute-force that a slow password hash would protect.
 */
export function newToken(): string {
	return `cc_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}
