import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}
}

/**
 * Headers on every API answer: JSON and CSV are never rendered as pages, framed, cached
 * by a shared proxy, or sniffed into something else.
 */
export const apiSecurityHeaders: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'no-referrer',
	'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
	'cross-origin-resource-policy': 'same-origin'
};

export function setSecurityHeaders(res: ServerResponse): void {
	for (const [name, value] of Object.entries(apiSecurityHeaders)) res.setHeader(name, value);
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
		...headers
	});
	res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
	sendJson(res, error.status, { error: error.message }, error.headers);
}

/** Read the whole body as text, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limit) throw new HttpError(413, `body too large: at most ${limit} bytes`);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new HttpError(413, `body too large: at most ${limit} bytes`);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}
