import type { ComplaintView } from './complaint';
import type { Delta, Snapshot } from './live';
import type { CallMarkLive } from './sms';

/** The socket contract, declared once and used by the server and the browser. */
export interface ServerToClientEvents {
	snapshot: (snapshot: Snapshot) => void;
	delta: (delta: Delta) => void;
	/**
	 * A complaint filed or changed (outside the numbered deltas: a client that reconnects
	 * reads the list again). Sent only to people who work complaints in its district.
	 */
	complaint: (complaint: ComplaintView) => void;
	/**
	 * A person on a call list was marked reached or not reachable, or the mark was cleared
	 * (outside the numbered deltas: a screen that reconnects reads its list again). Sent to
	 * people who may read that district's call lists.
	 */
	callMark: (mark: CallMarkLive) => void;
}

export interface ResumeRequest {
	sinceSeq: number;
	epoch?: string;
}

export interface ClientToServerEvents {
	resume: (request: ResumeRequest) => void;
}

/** Handshake auth: a read token (machines) or nothing (browsers use the session cookie). */
export interface HandshakeAuth {
	token?: string;
	sinceSeq?: number;
	epoch?: string;
}

export const SOCKET_PATH = '/socket.io';
