/**
 * Outbound messages to sites (the in-charge is told of a switch and what to do). A
 * notifier sends one message or throws with the reason it could not; the caller records
 * the outcome, so a failed delivery is shown, never swallowed.
 */
import type { Logger } from '../log';

export interface OutboundMessage {
	/** Stable across retries: a gateway can drop a message it has already sent. */
	id: string;
	kind: string;
	siteCode: string;
	siteName: string;
	districtCode: string;
	/** The message in words, ready to send as an SMS or a WhatsApp text. */
	text: string;
	/** The same as fields, for a gateway that builds its own text. */
	detail: Record<string, unknown>;
}

export interface Notifier {
	/** 'log' or 'webhook': shown beside each message. */
	readonly channel: string;
	send(message: OutboundMessage): Promise<void>;
}

/** Development and demo: the message goes to the server log and nowhere else. */
export class LogNotifier implements Notifier {
	readonly channel = 'log';

	constructor(private readonly log: Logger) {}

	async send(message: OutboundMessage): Promise<void> {
		this.log.info(
			{ notification: message.id, site: message.siteCode, kind: message.kind },
			`message to site ${message.siteCode}: ${message.text}`
		);
	}
}

/** Longest part of a gateway's error answer kept with the message. */
const MAX_ERROR_BODY = 200;

/**
 * A real gateway behind an HTTP endpoint: the message is POSTed as JSON with an
 * `Idempotency-Key` header; any 2xx answer is a delivery, anything else a failure with
 * the gateway's status and words.
 */
export class WebhookNotifier implements Notifier {
	readonly channel = 'webhook';

	constructor(
		private readonly url: string,
		private readonly timeoutMs: number,
		private readonly fetchImpl: typeof fetch = fetch
	) {}

	async send(message: OutboundMessage): Promise<void> {
		let res: Response;
		try {
			res = await this.fetchImpl(this.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'idempotency-key': message.id },
				body: JSON.stringify(message),
				signal: AbortSignal.timeout(this.timeoutMs)
			});
		} catch (error) {
			const e = error as Error;
			if (e.name === 'TimeoutError' || e.name === 'AbortError')
				throw new Error(`gateway gave no answer within ${this.timeoutMs} ms`, { cause: error });
			const cause = (e as { cause?: { code?: string; message?: string } }).cause;
			throw new Error(`gateway unreachable: ${cause?.code ?? cause?.message ?? e.message}`, {
				cause: error
			});
		}
		if (res.ok) {
			await res.body?.cancel();
			return;
		}
		const body = (await res.text().catch(() => '')).trim().slice(0, MAX_ERROR_BODY);
		throw new Error(`gateway answered HTTP ${res.status}${body ? `: ${body}` : ''}`);
	}
}

export function createNotifier(
	config: { NOTIFY_WEBHOOK_URL?: string; NOTIFY_TIMEOUT_MS: number },
	log: Logger
): Notifier {
	return config.NOTIFY_WEBHOOK_URL
		? new WebhookNotifier(config.NOTIFY_WEBHOOK_URL, config.NOTIFY_TIMEOUT_MS)
		: new LogNotifier(log);
}
