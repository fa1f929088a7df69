import { BodyError } from './types';

/** JSON.parse that turns a syntax error into a BodyError saying where it is. */
export function parseJsonBody(text: string): unknown {
	// Some Windows tools prefix a byte-order mark, which JSON.parse refuses.
	const body = text.replace(/^\uFEFF/, '');
	if (body.trim() === '') throw new BodyError('empty body: expected JSON');
	try {
		return JSON.parse(body);
	} catch (e) {
		throw new BodyError(`invalid JSON${where(body, e)}: ${(e as Error).message}`);
	}
}

/** " at line L, column C" from the position V8 puts in its message, when it does. */
function where(text: string, e: unknown): string {
	const message = (e as Error).message ?? '';
	const m = /at position (\d+)/.exec(message);
	// Newer V8 already says "(line 1 column 2)".
	if (!m || /line \d+ column \d+/.test(message)) return '';
	const before = text.slice(0, Number(m[1]));
	const line = before.split('\n').length;
	const column = before.length - before.lastIndexOf('\n');
	return ` at line ${line}, column ${column}`;
}
