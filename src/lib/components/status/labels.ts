import type { HealthStatus, SiteStatus } from '$lib/shared/live';

export const siteStatusLabel: Record<SiteStatus, string> = {
	active: 'Active',
	idle: 'Idle',
	stalled: 'Stalled',
	manual: 'Manual',
	closed: 'Closed'
};

/** Order of attention: what needs an officer first. */
export const siteStatusRank: Record<SiteStatus, number> = {
	stalled: 0,
	manual: 1,
	idle: 2,
	active: 3,
	closed: 4
};

export const healthStatusLabel: Record<HealthStatus, string> = {
	up: 'Up',
	degraded: 'Degraded',
	down: 'Down',
	unknown: 'Unknown'
};
