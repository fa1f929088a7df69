/** Words for the actions the log records; an action not listed is shown as it is stored. */
export const auditActionLabels: Record<string, string> = {
	'auth.sign_in': 'Signed in',
	'auth.sign_out': 'Signed out',
	'auth.sign_in_failed': 'Sign-in refused',
	'auth.locked': 'Account locked',
	'user.create': 'Person added',
	'user.disable': 'Person disabled',
	'user.enable': 'Person enabled',
	'user.revoke_sessions': 'Signed out everywhere',
	'user.reset_password': 'Password reset',
	'user.unlock': 'Account unlocked',
	'token.create': 'API token created',
	'token.revoke': 'API token revoked',
	'site.mode': 'Site mode switched',
	'site.backfill': 'Paper records uploaded',
	'site.register_count': 'Paper register count reported',
	'site.reconcile': 'Paper records reconciled',
	'calllist.download': 'Call list downloaded',
	'calllist.mark': 'Call-list person marked',
	'calllist.unmark': 'Call-list mark cleared',
	'sms.resend': 'SMS resend requested',
	'alert.acknowledge': 'Alert acknowledged',
	'alert.assign': 'Alert assigned',
	'audit.export': 'Audit log exported'
};

export function auditActionLabel(action: string): string {
	return auditActionLabels[action] ?? action;
}

/** A detail object as short "key: value" pairs, for a table cell. */
export function describeDetail(detail: unknown): string[] {
	if (!detail || typeof detail !== 'object') return [];
	return Object.entries(detail as Record<string, unknown>).map(([key, value]) => {
		const shown =
			value === null || value === undefined
				? '—'
				: Array.isArray(value)
					? value.join(', ') || '—'
					: typeof value === 'object'
						? JSON.stringify(value)
						: String(value);
		return `${key}: ${shown}`;
	});
}
