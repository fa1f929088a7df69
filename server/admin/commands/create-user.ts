import {
	AccountError,
	createAccount,
	type NewUserInput
} from '../../../src/lib/server/auth/accounts';
import type { Db } from '../../../src/lib/server/db/client';

/** `admin create-user`: validate, hash the password, store the user, record it in the audit log. */
export async function createUserCommand(db: Db, input: NewUserInput): Promise<string> {
	let user;
	try {
		user = await createAccount(db, input, { actor: 'admin-cli' });
	} catch (error) {
		if (error instanceof AccountError)
			throw new Error(`Cannot create user: ${error.message}`, { cause: error });
		throw error;
	}
	const where = user.districts.length ? ` for ${user.districts.join(', ')}` : '';
	return `Created ${user.role} ${user.username}${where}.`;
}
