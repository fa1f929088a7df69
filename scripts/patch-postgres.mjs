// postgres.js 3.4.9 crashes the process when a connection closes while a small write is
// buffered for the next tick: nextWrite() calls socket.write on a null socket from a
// setImmediate, where no caller can catch it (porsager/postgres#1154, #1208; fixes
// proposed in #1168, #1176, #1209, not released). A database restart does exactly this.
// Until a release carries the fix, this guards the write and drops a dead connection's
// buffered bytes. Runs after npm install/ci; idempotent; fails loudly if the code moved.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* ldcc: guarded nextWrite */';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');

const edits = [
	[
		'  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
		`  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`
	],
	// A closed connection drops what it had buffered, or the next one would send it first.
	[
		"    terminated = true\n    if (stream || query || initial || sent.length)\n      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n",
		"    terminated = true\n    if (stream || query || initial || sent.length)\n      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n"
	],
	[
		'    incomings = null\n    clearImmediate(nextWriteTimer)\n',
		'    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n'
	]
];

for (const build of ['src', 'cjs/src', 'cf/src']) {
	const file = join(root, build, 'connection.js');
	let text;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		continue; // this build is not shipped in this version
	}
	if (text.includes(MARK)) continue;
	for (const [from, to] of edits) {
		if (!text.includes(from)) {
			console.error(`patch-postgres: ${file} changed; check whether the fix is released`);
			process.exit(1);
		}
		text = text.replace(from, to);
	}
	writeFileSync(file, text);
}
