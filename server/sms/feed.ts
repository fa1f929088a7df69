/**
 * Call-list marks on the socket: people who may read call lists join rooms for the
 * districts they may see, and each mark goes to its district's room and the state-wide
 * one. Through the Socket.IO adapter the rooms span every node.
 */
import type { Server, Socket } from 'socket.io';
import { can, scopeOf, type Principal } from '../../src/lib/server/auth/policy';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/realtime';
import type { CallMarkLive } from '../../src/lib/shared/sms';

const ALL_ROOM = 'calllist:all';
const districtRoom = (code: string) => `calllist:district:${code}`;

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

/** The rooms a principal's sockets join (none for those who may not read call lists). */
export function callMarkRooms(principal: Principal): string[] {
	if (!can(principal, 'calllist.download')) return [];
	const scope = scopeOf(principal);
	return scope.all ? [ALL_ROOM] : scope.districts.map(districtRoom);
}

function join(socket: AnySocket): void {
	const principal = socket.data.principal;
	if (!principal) return;
	for (const room of callMarkRooms(principal)) void socket.join(room);
}

/** Join every socket that connects (after the realtime module authenticated it) to its rooms. */
export function attachCallMarkFeed(io: AnyServer): void {
	io.on('connection', (socket) => join(socket));
	for (const socket of io.sockets.sockets.values()) join(socket);
}

/** Send a committed mark to whoever may see that district's call lists. */
export function emitCallMark(io: AnyServer, mark: CallMarkLive, districtCode: string): void {
	io.to([ALL_ROOM, districtRoom(districtCode)]).emit('callMark', mark);
}
