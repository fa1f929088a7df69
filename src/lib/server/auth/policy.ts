/**
 * Who may do what: the one place that answers it. Routes, socket handlers and feeds
 * ask `can(principal, action, target)` and narrow what they read with `scopeOf`.
 */
import type { Role, TokenScope } from '../db/schema';
import type { SessionUser } from './session';

export const actions = [
	'snapshot.read',
	'live.subscribe',
	'feed.ingest',
	'site.mode',
	'site.backfill',
	'calllist.download',
	'calllist.mark',
	'sms.resend',
	'alert.acknowledge',
	'complaint.create',
	'complaint.update',
	'review.read',
	'targets.edit',
	'audit.read',
	'users.manage',
	'tokens.manage',
	'probe.manage',
	'status.edit'
] as const;
export type Action = (typeof actions)[number];

export type Principal =
	| { kind: 'user'; user: SessionUser }
	| { kind: 'token'; tokenId: string; name: string; scopes: TokenScope[] };

/** The districts a principal may see and act in. */
export type Scope = { all: true } | { all: false; districts: string[] };

/** Everything people do on launch day, short of administering accounts and machine feeds. */
const operational = [
	'snapshot.read',
	'live.subscribe',
	'site.mode',
	'site.backfill',
	'calllist.download',
	'calllist.mark',
	'sms.resend',
	'alert.acknowledge',
	'complaint.create',
	'complaint.update',
	'review.read'
] as const satisfies readonly Action[];

/**
 * The matrix. A district officer's grants hold only inside its districts (see scopeOf);
 * every other role's hold state-wide.
 */
export const roleActions: Record<Role, readonly Action[]> = {
	admin: actions,
	state_officer: [...operational, 'targets.edit', 'audit.read', 'status.edit'],
	district_officer: operational,
	secretary: ['snapshot.read', 'live.subscribe', 'review.read'],
	// Help-desk staff phone people whose SMS failed: they read call lists and mark them.
	helpdesk: [
		'snapshot.read',
		'live.subscribe',
		'calllist.download',
		'calllist.mark',
		'complaint.create',
		'complaint.update'
	]
};

/** Machine tokens act state-wide; a token holds the union of its scopes' actions. */
export const tokenScopeActions: Record<TokenScope, readonly Action[]> = {
	read: ['snapshot.read', 'live.subscribe'],
	ingest: ['feed.ingest', 'site.backfill', 'complaint.create']
};

/**
 * Reads whose results the caller narrows with scopeOf, so a district-limited principal may
 * ask for them without naming a district. Everything else must name the district it touches.
 */
export const scopedReads: ReadonlySet<Action> = new Set<Action>([
	'snapshot.read',
	'live.subscribe',
	'calllist.download',
	'review.read'
]);

export function userPrincipal(user: SessionUser): Principal {
	return { kind: 'user', user };
}

export function scopeOf(principal: Principal): Scope {
	if (principal.kind === 'user' && principal.user.role === 'district_officer') {
		return { all: false, districts: [...principal.user.districts] };
	}
	return { all: true };
}

function granted(principal: Principal): readonly Action[] {
	if (principal.kind === 'user') return roleActions[principal.user.role] ?? [];
	return principal.scopes.flatMap((scope) => tokenScopeActions[scope] ?? []);
}

export function can(
	principal: Principal,
	action: Action,
	target?: { districtCode?: string }
): boolean {
	if (!granted(principal).includes(action)) return false;
	const scope = scopeOf(principal);
	if (scope.all) return true;
	const district = target?.districtCode;
	if (district === undefined) return scopedReads.has(action);
	return scope.districts.includes(district);
}

/** Whether a district is visible within a scope (for filtering lists and rooms). */
export function inScope(scope: Scope, districtCode: string): boolean {
	return scope.all || scope.districts.includes(districtCode);
}

/**
 * Roles whose work is phoning people (call lists, complaints) see names and phone
 * numbers; everyone else, machine tokens included, sees them masked (privacy.ts).
 */
const personalDataRoles: ReadonlySet<Role> = new Set<Role>([
	'admin',
	'state_officer',
	'district_officer',
	'helpdesk'
]);

export function canSeePersonalData(principal: Principal): boolean {
	return principal.kind === 'user' && personalDataRoles.has(principal.user.role);
}

/**
 * Pages and page endpoints that need more than being signed in, by path prefix. The
 * request hook checks every request (loads, form actions, +server endpoints) against
 * this table, so no page has to remember its own check.
 */
export const pageActions: readonly { prefix: string; action: Action }[] = [
	{ prefix: '/admin/tokens', action: 'tokens.manage' },
	{ prefix: '/admin', action: 'users.manage' },
	{ prefix: '/audit', action: 'audit.read' },
	{ prefix: '/review', action: 'review.read' },
	{ prefix: '/health/probes', action: 'probe.manage' }
];

/** The action a path needs beyond signing in, or null. Prefixes match whole segments. */
export function pageAction(pathname: string): Action | null {
	for (const { prefix, action } of pageActions) {
		if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return action;
	}
	return null;
}
