import type { ProbeTargetRow } from '../../src/lib/server/db/queries/health';
import type { Clock } from './clock';

/** A health sample as POST /api/v1/health takes it (contract HealthSample). */
export interface ProbeSample {
	target: string;
	at: string;
	ok: boolean;
	latencyMs?: number;
	detail?: string;
}

export type ProbeConfig = Pick<
	ProbeTargetRow,
	'target' | 'url' | 'method' | 'expectStatus' | 'expectBody' | 'timeoutMs'
>;

/** Most of a body the probe reads when looking for the expected text. */
const MAX_BODY_BYTES = 256 * 1024;
const USER_AGENT = 'launch-day-command-centre/health-probe';

/** Why a request failed, in an officer's words. */
function describeError(error: unknown, timeoutMs: number): string {
	const e = error as {
		name?: string;
		message?: string;
		cause?: { code?: string; message?: string };
	};
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
		return `timeout after ${timeoutMs} ms`;
	const code = e?.cause?.code;
	const known: Record<string, string> = {
		ECONNREFUSED: 'connection refused',
		ECONNRESET: 'connection reset',
		ENOTFOUND: 'host not found',
		EAI_AGAIN: 'DNS lookup failed',
		EHOSTUNREACH: 'host unreachable',
		ENETUNREACH: 'network unreachable',
		UND_ERR_SOCKET: 'connection closed',
		CERT_HAS_EXPIRED: 'TLS certificate expired',
		DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate'
	};
	if (code && known[code]) return known[code];
	return (e?.cause?.message ?? e?.message ?? String(error)).slice(0, 200);
}

/** Read up to MAX_BODY_BYTES of the body as text, then stop. */
async function readSome(res: Response): Promise<string> {
	if (!res.body) return '';
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	while (size < MAX_BODY_BYTES) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		size += value.length;
	}
	await reader.cancel().catch(() => {
		// Already closed: nothing left to release.
	});
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * Check one target once. Never throws: a failure is a sample with ok=false and the reason.
 * Latency is the time to the response headers, or to the body when its text is checked; a
 * failed check has none. A URL starting with / is this server's own (`selfUrl`): until the
 * server listens there is nothing to check, and no sample (null) rather than a false failure.
 */
export async function probeOnce(
	config: ProbeConfig,
	deps: { clock: Clock; selfUrl?: () => string | undefined; fetch?: typeof fetch }
): Promise<ProbeSample | null> {
	const at = new Date(deps.clock.now()).toISOString();
	const fail = (detail: string, latencyMs?: number): ProbeSample => ({
		target: config.target,
		at,
		ok: false,
		...(latencyMs === undefined ? {} : { latencyMs }),
		detail
	});
	let url = config.url;
	if (url.startsWith('/')) {
		const base = deps.selfUrl?.();
		if (!base) return null;
		url = base + url;
	}
	const started = deps.clock.monotonic();
	const elapsed = () => Math.max(0, Math.round(deps.clock.monotonic() - started));
	try {
		const res = await (deps.fetch ?? fetch)(url, {
			method: config.method,
			signal: AbortSignal.timeout(config.timeoutMs),
			headers: { 'user-agent': USER_AGENT, 'cache-control': 'no-cache' }
		});
		let body: string | null = null;
		if (config.expectBody && config.method === 'GET') body = await readSome(res);
		else
			await res.body?.cancel().catch(() => {
				// The connection went away already; the status is what counts.
			});
		const latencyMs = elapsed();
		if (res.status !== config.expectStatus)
			return fail(`HTTP ${res.status}, expected ${config.expectStatus}`, latencyMs);
		if (body !== null && !body.includes(config.expectBody!))
			return fail(`the answer does not contain "${config.expectBody!.slice(0, 60)}"`, latencyMs);
		return { target: config.target, at, ok: true, latencyMs, detail: `HTTP ${res.status}` };
	} catch (error) {
		return fail(describeError(error, config.timeoutMs));
	}
}
