import { describe, expect, it } from 'vitest';
import { roles, type Role, type TokenScope } from '../db/schema';
import {
	actions,
	can,
	canSeePersonalData,
	inScope,
	pageAction,
	roleActions,
	scopeOf,
	tokenScopeActions,
	type Action,
	type Principal
} from './policy';
import type { SessionUser } from './session';

/**
 * The expected matrix, written out independently of policy.ts.
 * Y: anywhere. D: only within the principal's own districts. -: never.
 */
const columns: Action[] = [
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
];
type Cell = 'Y' | 'D' | '-';
//  snapshot live ingest mode backfill calllist mark resend ack c.create c.update review targets audit users tokens probes status
const expected: Record<string, string> = {
	admin: '          Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y',
	state_officer: '  Y Y - Y Y Y Y Y Y Y Y Y Y Y - - - Y',
	district_officer: 'D D - D D D D D D D D D - - - - - -',
	secretary: '      Y Y - - - - - - - - - Y - - - - - -',
	helpdesk: '       Y Y - - - Y Y - - Y Y - - - - - - -',
	'token:read': '   Y Y - - - - - - - - - - - - - - - -',
	'token:ingest': ' - - Y - Y - - - - Y - - - - - - - -',
	'token:read,ingest': 'Y Y Y - Y - - - - Y - - - - - - - -',
	'token:': '        - - - - - - - - - - - - - - - - - -'
};
const cells = (row: string) => row.trim().split(/\s+/) as Cell[];

/** Reads a district officer may ask for without naming a district (results get narrowed). */
const narrowedReads = new Set<Action>([
	'snapshot.read',
	'live.subscribe',
	'calllist.download',
	'review.read'
]);

const OWN = 'MH-PUN';
const OTHER = 'MH-MUM';

function user(role: Role): SessionUser {
	return {
		id: '00000000-0000-4000-8000-000000000001',
		username: role,
		displayName: role,
		role,
		districts: role === 'district_officer' ? [OWN, 'MH-NSK'] : []
	};
}

function principal(row: string): Principal {
	if (row.startsWith('token:')) {
		const scopes = row.slice('token:'.length).split(',').filter(Boolean) as TokenScope[];
		return { kind: 'token', tokenId: 't1', name: row, scopes };
	}
	return { kind: 'user', user: user(row as Role) };
}

describe('the policy matrix', () => {
	it('has a column for every action and a row for every role', () => {
		expect([...columns].sort()).toEqual([...actions].sort());
		for (const role of roles) expect(expected[role], role).toBeDefined();
		for (const row of Object.values(expected)) expect(cells(row)).toHaveLength(columns.length);
	});

	it('exports a table that agrees with the expected grants', () => {
		for (const role of roles) {
			const granted = columns.filter((_, i) => cells(expected[role])[i] !== '-');
			expect([...roleActions[role]].sort(), role).toEqual(granted.sort());
		}
		for (const scope of ['read', 'ingest'] as const) {
			const granted = columns.filter((_, i) => cells(expected[`token:${scope}`])[i] !== '-');
			expect([...tokenScopeActions[scope]].sort(), scope).toEqual(granted.sort());
		}
	});

	for (const [row, line] of Object.entries(expected)) {
		describe(row, () => {
			const p = principal(row);
			columns.forEach((action, i) => {
				const cell = cells(line)[i];
				it(`${action}: ${cell}`, () => {
					const own = can(p, action, { districtCode: OWN });
					const other = can(p, action, { districtCode: OTHER });
					const untargeted = can(p, action);
					const emptyTarget = can(p, action, {});
					if (cell === 'Y') {
						expect([own, other, untargeted, emptyTarget]).toEqual([true, true, true, true]);
					} else if (cell === 'D') {
						expect(own).toBe(true);
						expect(other).toBe(false);
						expect(untargeted).toBe(narrowedReads.has(action));
						expect(emptyTarget).toBe(narrowedReads.has(action));
					} else {
						expect([own, other, untargeted, emptyTarget]).toEqual([false, false, false, false]);
					}
				});
			});
		});
	}
});

describe('district scoping', () => {
	it('limits a district officer to its districts and no one else', () => {
		expect(scopeOf(principal('district_officer'))).toEqual({
			all: false,
			districts: [OWN, 'MH-NSK']
		});
		for (const role of roles.filter((r) => r !== 'district_officer')) {
			expect(scopeOf(principal(role)), role).toEqual({ all: true });
		}
		expect(scopeOf(principal('token:read,ingest'))).toEqual({ all: true });
	});

	it('covers every district the officer holds', () => {
		const p = principal('district_officer');
		expect(can(p, 'site.mode', { districtCode: 'MH-NSK' })).toBe(true);
		expect(inScope(scopeOf(p), 'MH-NSK')).toBe(true);
		expect(inScope(scopeOf(p), OTHER)).toBe(false);
		expect(inScope({ all: true }, OTHER)).toBe(true);
	});

	it('gives a district officer with no districts nothing to act on', () => {
		const p: Principal = { kind: 'user', user: { ...user('district_officer'), districts: [] } };
		for (const action of columns) expect(can(p, action, { districtCode: OWN }), action).toBe(false);
	});

	it('does not let a caller widen the scope by editing the returned districts', () => {
		const p = principal('district_officer');
		const scope = scopeOf(p);
		if (!scope.all) scope.districts.push(OTHER);
		expect(can(p, 'site.mode', { districtCode: OTHER })).toBe(false);
	});

	it('refuses an unknown role from the database', () => {
		const p = { kind: 'user', user: { ...user('admin'), role: 'root' as Role } } as Principal;
		for (const action of columns) expect(can(p, action), action).toBe(false);
	});
});

describe('personal data', () => {
	it('shows names and phones to the roles that phone people, and to no machine', () => {
		const sees = Object.keys(expected).filter((row) => canSeePersonalData(principal(row)));
		expect(sees.sort()).toEqual(['admin', 'district_officer', 'helpdesk', 'state_officer']);
	});
});

describe('pages', () => {
	it('names the action each guarded page needs', () => {
		expect(pageAction('/admin')).toBe('users.manage');
		expect(pageAction('/admin/users')).toBe('users.manage');
		expect(pageAction('/admin/users/__data.json')).toBe('users.manage');
		expect(pageAction('/admin/tokens')).toBe('tokens.manage');
		expect(pageAction('/audit')).toBe('audit.read');
		expect(pageAction('/audit/export.csv')).toBe('audit.read');
		expect(pageAction('/health/probes')).toBe('probe.manage');
		expect(pageAction('/review')).toBe('review.read');
		expect(pageAction('/review/print')).toBe('review.read');
		// The health panel itself is for everyone signed in.
		expect(pageAction('/health')).toBeNull();
	});

	it('matches whole path segments only', () => {
		expect(pageAction('/')).toBeNull();
		expect(pageAction('/login')).toBeNull();
		expect(pageAction('/administrator')).toBeNull();
		expect(pageAction('/auditorium')).toBeNull();
	});

	it('opens the review to secretaries and officers, not the help desk or machines', () => {
		const allowed = Object.keys(expected).filter((row) =>
			can(principal(row), pageAction('/review')!)
		);
		expect(allowed.sort()).toEqual(['admin', 'district_officer', 'secretary', 'state_officer']);
	});

	it('opens the audit log to admins and state officers only', () => {
		const allowed = Object.keys(expected).filter((row) =>
			can(principal(row), pageAction('/audit')!)
		);
		expect(allowed.sort()).toEqual(['admin', 'state_officer']);
	});
});
