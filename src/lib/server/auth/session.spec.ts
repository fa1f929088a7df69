import { describe, expect, it } from 'vitest';
import { hashSessionId, SESSION_LIFETIME_MS, slidExpiry } from './session';

const HOUR = 60 * 60 * 1000;

describe('session ids', () => {
	it('stores the SHA-256 hex of the cookie value', () => {
		expect(hashSessionId('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});
});

describe('sliding expiry', () => {
	const created = new Date('2025-01-16T03:00:00Z');
	const expiresAt = new Date(created.getTime() + SESSION_LIFETIME_MS);

	it('keeps the expiry during the first hour', () => {
		expect(slidExpiry(expiresAt, new Date(created.getTime() + 59 * 60 * 1000))).toBeNull();
		expect(slidExpiry(expiresAt, new Date(created.getTime() + HOUR))).toBeNull();
	});

	it('extends to a full lifetime from now after more than an hour', () => {
		const now = new Date(created.getTime() + HOUR + 1000);
		expect(slidExpiry(expiresAt, now)).toEqual(new Date(now.getTime() + SESSION_LIFETIME_MS));
	});
});
