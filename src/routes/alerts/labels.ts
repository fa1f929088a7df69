import type { AlertEventView } from '$lib/shared/fallback';

const kindLabels: Record<string, string> = {
	site_stalled: 'Site stalled',
	stall_group: 'Stalls with one cause',
	sms_failure_spike: 'SMS failures',
	complaint_spike: 'Complaints',
	health_incident: 'Service health'
};

export function alertKindLabel(kind: string): string {
	return kindLabels[kind] ?? kind.replaceAll('_', ' ');
}

export const eventLabel: Record<AlertEventView['kind'], string> = {
	opened: 'Opened',
	grouped: 'Grouped',
	acknowledged: 'Acknowledged',
	assigned: 'Assigned',
	note: 'Note',
	resolved: 'Resolved'
};
