/**
 * What a signed-in person may do on the fallback, alert and backfill pages: buttons are
 * offered by role; the API checks every action again, district by district.
 */
import { roleActions } from './auth/policy';
import type { SessionUser } from './auth/session';

export interface FallbackAccess {
	/** Switch sites to paper and back, report and reconcile registers, retry messages. */
	canSwitch: boolean;
	/** Upload paper registers. */
	canBackfill: boolean;
	/** Acknowledge, assign and note alerts. */
	canAcknowledge: boolean;
	/** District officers act only in these districts; null: state-wide. */
	districts: string[] | null;
}

export function fallbackAccess(user: SessionUser | null): FallbackAccess {
	const granted = user ? roleActions[user.role] : [];
	return {
		canSwitch: granted.includes('site.mode'),
		canBackfill: granted.includes('site.backfill'),
		canAcknowledge: granted.includes('alert.acknowledge'),
		districts: user?.role === 'district_officer' ? [...user.districts] : null
	};
}
