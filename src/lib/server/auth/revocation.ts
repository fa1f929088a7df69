import { lookup } from '../registry';

/** What the running server registers as 'services' (server/services.ts), as far as this needs. */
interface RevocationHook {
	recheckSockets?(): Promise<void>;
}

/**
 * After a token, a person's sessions or a person were revoked: the server's live sockets
 * are checked at once instead of at the next periodic check. Without a running server
 * (a build step, a unit test) there are no sockets to reach.
 */
export async function credentialsRevoked(): Promise<void> {
	try {
		await lookup<RevocationHook>('services')?.recheckSockets?.();
	} catch {
		// The revocation itself is committed; the periodic check disconnects within seconds.
	}
}
