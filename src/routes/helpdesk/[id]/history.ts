/** A complaint's history lines in words. */
import {
	actionLabels,
	categoryLabels,
	channelLabels,
	priorityLabels,
	statusLabels,
	type ComplaintActionKind,
	type ComplaintCategory,
	type ComplaintChannel,
	type ComplaintEventView,
	type ComplaintPriority
} from '$lib/shared/complaint';
import { localClock } from '$lib/shared/time';

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function describeEvent(e: ComplaintEventView, timeZone: string): string {
	const d = e.detail ?? {};
	const due = str(d.slaDueAt);
	const dueText = due ? `; answer due by ${localClock(new Date(due), timeZone)}` : '';
	switch (e.kind) {
		case 'created': {
			const channel = channelLabels[d.channel as ComplaintChannel] ?? str(d.channel);
			const category = categoryLabels[d.category as ComplaintCategory] ?? str(d.category);
			const priority = priorityLabels[d.priority as ComplaintPriority] ?? str(d.priority);
			return `Filed by ${channel ?? 'unknown channel'}: ${category}, ${priority} priority${dueText}`;
		}
		case 'status':
			return `${e.fromStatus ? statusLabels[e.fromStatus] : '?'} → ${e.toStatus ? statusLabels[e.toStatus] : '?'}`;
		case 'assigned':
			return d.to ? `Assigned to ${str(d.to)}` : `Taken off ${str(d.from) ?? 'its assignee'}`;
		case 'priority':
			return `Priority ${priorityLabels[d.from as ComplaintPriority] ?? '?'} → ${priorityLabels[d.to as ComplaintPriority] ?? '?'}${dueText}`;
		case 'category':
			return `Now about: ${categoryLabels[d.to as ComplaintCategory] ?? str(d.to)}`;
		case 'site':
			return d.to ? `Site set to ${str(d.to)}` : 'Site removed';
		case 'note':
			return 'Note';
		case 'linked':
			return `Linked to the incident “${str(d.title) ?? '?'}”`;
		case 'unlinked':
			return 'Taken out of its incident';
		case 'action': {
			const label = actionLabels[d.action as ComplaintActionKind] ?? 'a request';
			return d.joined
				? `Joined the request already with the officers: ${lowerFirst(label)}`
				: `Asked the officers: ${lowerFirst(label)}`;
		}
		case 'outcome':
			return 'Outcome of the request to the officers';
	}
}
