/**
 * Call-list marks on the socket: people who may read call lists join rooms for the
 * districts they may see, and each mark goes to its district's room and the state-wide
 * one. Through the Socket.IO adapter the rooms span every node.
 */
import { can, scopeOf, type Principal } from '../../src/lib/server/auth/policy';
import type { CallMarkLive } from '../../src/lib/shared/sms';
import type { RealtimeServer } from '../realtime/attach';
import { joinOnConnect, scopedRooms } from '../realtime/rooms';

const rooms = scopedRooms('calllist');

/** The rooms a principal's sockets join (none for those who may not read call lists). */
export function callMarkRooms(principal: Principal): string[] {
	return can(principal, 'calllist.download') ? rooms.of(scopeOf(principal)) : [];
}

export function attachCallMarkFeed(io: RealtimeServer): void {
	joinOnConnect(io, callMarkRooms);
}

/** Send a committed mark to whoever may see that district's call lists. */
export function emitCallMark(io: RealtimeServer, mark: CallMarkLive, districtCode: string): void {
	io.to(rooms.to(districtCode)).emit('callMark', mark);
}
