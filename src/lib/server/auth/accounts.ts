/**
 * Creating people and changing their passwords: one set of rules for the admin page and
 * the `create-user` command, and every change written to the audit log.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { appendAudit } from '../db/queries/audit';
import { createUser, findUserByUsername, type UserSummary } from '../db/queries/user';
import { roles } from '../db/schema';
import { hashPassword } from './password';

export const MIN_PASSWORD_LENGTH = 10;

export const usernameSchema = z
	.string()
	.trim()
	.toLowerCase()
	.regex(
		/^[a-z0-9][a-z0-9._-]{2,63}$/,
		'3–64 characters: letters, digits, dot, dash or underscore'
	);

/** Long enough to resist guessing; the upper bound only keeps hashing cheap. */
export const passwordSchema = z
	.string()
	.min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
	.max(1024, 'must be at most 1024 characters');

export const newUserSchema = z
	.object({
		username: usernameSchema,
		role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
		districts: z.array(z.string().trim().min(1)).transform((codes) => [...new Set(codes)]),
		password: passwordSchema,
		displayName: z.string().trim().min(1).max(120).optional()
	})
	.superRefine((a, ctx) => {
		if (a.role === 'district_officer' && a.districts.length === 0) {
			ctx.addIssue({
				code: 'custom',
				path: ['districts'],
				message: 'a district officer needs at least one district'
			});
		}
		if (a.role !== 'district_officer' && a.districts.length > 0) {
			ctx.addIssue({
				code: 'custom',
				path: ['districts'],
				message: `only district officers are limited to districts; ${a.role} sees the whole state`
			});
		}
	});

/** As typed or passed on the command line: checked by newUserSchema. */
export interface NewUserInput {
	username: string;
	role: string;
	districts: string[];
	password: string;
	displayName?: string;
}

/** Input that breaks a rule: each problem by field, ready to show next to the form. */
export class AccountError extends Error {
	constructor(readonly problems: Record<string, string>) {
		super(
			Object.entries(problems)
				.map(([field, message]) => `${field}: ${message}`)
				.join('; ')
		);
	}
}

function problemsOf(error: z.ZodError): Record<string, string> {
	const problems: Record<string, string> = {};
	for (const issue of error.issues) problems[String(issue.path[0] ?? 'input')] ??= issue.message;
	return problems;
}

/** Who made a change, for the audit log. */
export interface ChangedBy {
	actor: string;
	ip?: string | null;
}

/**
 * Create a person. `knownDistricts`, when given, is the list a district officer's districts
 * must come from (the admin page; the command line may run before districts are loaded).
 */
export async function createAccount(
	db: Db,
	input: NewUserInput,
	by: ChangedBy,
	options: { knownDistricts?: readonly string[] } = {}
): Promise<UserSummary> {
	const parsed = newUserSchema.safeParse(input);
	if (!parsed.success) throw new AccountError(problemsOf(parsed.error));
	const a = parsed.data;
	if (options.knownDistricts) {
		const unknown = a.districts.filter((d) => !options.knownDistricts!.includes(d));
		if (unknown.length)
			throw new AccountError({ districts: `unknown district ${unknown.join(', ')}` });
	}
	if (await findUserByUsername(db, { username: a.username })) {
		throw new AccountError({ username: `${a.username} already exists` });
	}

	const user = await createUser(db, {
		username: a.username,
		displayName: a.displayName,
		passwordHash: await hashPassword(a.password),
		role: a.role,
		districts: a.districts
	});
	await appendAudit(db, {
		actor: by.actor,
		action: 'user.create',
		target: user.username,
		detail: { userId: user.id, role: user.role, districts: user.districts },
		ip: by.ip
	});
	return user;
}
