import type { SiteStatus } from './live';

export interface StallThresholds {
	/** A dose within this many minutes keeps an open site active. */
	stallMinutes: number;
	/** After a session opens, this long may pass before a first dose is due. */
	startupGraceMinutes: number;
}

export interface SiteFacts {
	mode: 'online' | 'manual';
	/** When the session open now began; null when no session is open. */
	openSince: Date | null;
	lastDoseAt: Date | null;
	lastHeartbeatAt: Date | null;
	/** When an officer last switched the site back online from its manual fallback. */
	onlineSince?: Date | null;
}

export interface DerivedStatus {
	status: SiteStatus;
	/** Why a site is stalled, in words an officer can act on; null otherwise. */
	cause: string | null;
}

const MINUTE = 60_000;

/**
 * A site's status at `now`. Boundaries are inclusive for the healthy side: a dose
 * exactly stallMinutes ago still counts as active, and a site exactly
 * startupGraceMinutes after opening with no dose is stalled.
 */
export function deriveSiteStatus(
	site: SiteFacts,
	now: Date,
	thresholds: StallThresholds
): DerivedStatus {
	if (site.mode === 'manual') return { status: 'manual', cause: null };
	if (!site.openSince) return { status: 'closed', cause: null };

	const stallMs = thresholds.stallMinutes * MINUTE;
	const doseThisSession =
		site.lastDoseAt && site.lastDoseAt.getTime() >= site.openSince.getTime()
			? site.lastDoseAt
			: null;

	if (doseThisSession && now.getTime() - doseThisSession.getTime() <= stallMs) {
		return { status: 'active', cause: null };
	}
	if (
		!doseThisSession &&
		now.getTime() - site.openSince.getTime() < thresholds.startupGraceMinutes * MINUTE
	) {
		return { status: 'idle', cause: null };
	}
	// Back from paper: the app gets one stall window (inclusive, as a dose does) for its
	// first dose, rather than counting the time on paper as a stall.
	const backOnline = site.onlineSince ?? null;
	if (backOnline && backOnline <= now && now.getTime() - backOnline.getTime() <= stallMs) {
		return { status: 'idle', cause: null };
	}
	const since =
		backOnline && (!doseThisSession || backOnline > doseThisSession) ? backOnline : null;
	return {
		status: 'stalled',
		cause: stallCause(doseThisSession, site.lastHeartbeatAt, now, stallMs, since)
	};
}

function stallCause(
	lastDose: Date | null,
	lastHeartbeat: Date | null,
	now: Date,
	stallMs: number,
	backOnline: Date | null = null
): string {
	const ago = (at: Date) => `${Math.round((now.getTime() - at.getTime()) / MINUTE)} min`;
	const dose = backOnline
		? `no dose since back online ${ago(backOnline)} ago`
		: lastDose
			? `no dose for ${ago(lastDose)}`
			: 'no dose since the session opened';
	if (!lastHeartbeat) return `${dose}; device never reported`;
	if (now.getTime() - lastHeartbeat.getTime() > stallMs)
		return `${dose}; device silent for ${ago(lastHeartbeat)}`;
	return `${dose}; device alive`;
}
