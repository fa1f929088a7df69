/**
 * The live complaint feed on the socket: people who work complaints join rooms for the
 * districts they may see, and each filed or changed complaint goes to its district's room
 * and to the state-wide one. Machine tokens and roles that do not work complaints never
 * join, so callers' phone numbers go only to roles allowed to see them.
 */
import { canSeePersonalData, type Principal } from '../../src/lib/server/auth/policy';
import { complaintScope } from '../../src/lib/server/complaints';
import type { ComplaintView } from '../../src/lib/shared/complaint';
import type { RealtimeServer } from '../realtime/attach';
import { joinOnConnect, scopedRooms } from '../realtime/rooms';

const rooms = scopedRooms('complaints');

/** The rooms a principal's sockets join (none for those who do not work complaints). */
export function complaintRooms(principal: Principal): string[] {
	if (!canSeePersonalData(principal)) return [];
	return rooms.of(complaintScope(principal, 'complaint.update'));
}

export function attachComplaintFeed(io: RealtimeServer): void {
	joinOnConnect(io, complaintRooms);
}

/** Send changed complaints to whoever may see them (after the change committed). */
export function emitComplaints(io: RealtimeServer, changed: ComplaintView[]): void {
	for (const c of changed) io.to(rooms.to(c.districtCode)).emit('complaint', c);
}
