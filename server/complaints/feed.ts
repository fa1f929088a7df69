/**
 * The live complaint feed on the socket: people who work complaints join rooms for the
 * districts they may see, and each filed or changed complaint goes to its district's room
 * and to the state-wide one. Machine tokens and roles that do not work complaints never
 * join, so callers' phone numbers go only to roles allowed to see them.
 */
import type { Server, Socket } from 'socket.io';
import { canSeePersonalData, type Principal } from '../../src/lib/server/auth/policy';
import { complaintScope } from '../../src/lib/server/complaints';
import type { ComplaintView } from '../../src/lib/shared/complaint';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/realtime';

const ALL_ROOM = 'complaints:all';
const districtRoom = (code: string) => `complaints:district:${code}`;

type AnyServer = Server<
	ClientToServerEvents,
	ServerToClientEvents,
	object,
	{ principal?: Principal }
>;
type AnySocket = Socket<
	ClientToServerEvents,
	ServerToClientEvents,
	object,
	{ principal?: Principal }
>;

/** The rooms a principal's sockets join (none for those who do not work complaints). */
export function complaintRooms(principal: Principal): string[] {
	if (!canSeePersonalData(principal)) return [];
	const scope = complaintScope(principal, 'complaint.update');
	if (!scope) return [];
	return scope.all ? [ALL_ROOM] : scope.districts.map(districtRoom);
}

function join(socket: AnySocket): void {
	const principal = socket.data.principal;
	if (!principal) return;
	for (const room of complaintRooms(principal)) void socket.join(room);
}

/** Join every socket that connects (after the realtime module authenticated it) to its rooms. */
export function attachComplaintFeed(io: AnyServer): void {
	io.on('connection', (socket) => join(socket));
	for (const socket of io.sockets.sockets.values()) join(socket);
}

/** Send changed complaints to whoever may see them (after the change committed). */
export function emitComplaints(io: AnyServer, changed: ComplaintView[]): void {
	for (const c of changed) {
		const rooms = c.districtCode ? [ALL_ROOM, districtRoom(c.districtCode)] : [ALL_ROOM];
		io.to(rooms).emit('complaint', c);
	}
}
