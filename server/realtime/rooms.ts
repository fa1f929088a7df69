/**
 * District-scoped events on the socket beside the live picture (call-list marks,
 * complaints): each authenticated socket joins the rooms its principal may hear, one for
 * the whole state or one per district, and an event goes to the state room and its
 * district's room. Through the Socket.IO adapter the rooms span every node.
 */
import type { Principal, Scope } from '../../src/lib/server/auth/policy';
import type { RealtimeServer } from './attach';

export interface ScopedRooms {
	/** The rooms of a principal: none, the state room, or its districts' rooms. */
	of(scope: Scope | null): string[];
	/** Where an event about `districtCode` goes (the state room alone when it has none). */
	to(districtCode: string | null): string[];
}

export function scopedRooms(prefix: string): ScopedRooms {
	const all = `${prefix}:all`;
	const district = (code: string) => `${prefix}:district:${code}`;
	return {
		of: (scope) => (!scope ? [] : scope.all ? [all] : scope.districts.map(district)),
		to: (districtCode) => (districtCode ? [all, district(districtCode)] : [all])
	};
}

/** Join every socket that connects (after the realtime module authenticated it) to its rooms. */
export function joinOnConnect(io: RealtimeServer, roomsOf: (principal: Principal) => string[]) {
	const join = (socket: { data: { principal?: Principal }; join(room: string): unknown }) => {
		const principal = socket.data.principal;
		if (principal) for (const room of roomsOf(principal)) void socket.join(room);
	};
	io.on('connection', join);
	for (const socket of io.sockets.sockets.values()) join(socket);
}
