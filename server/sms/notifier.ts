/**
 * Where resend requests go: a log sink while developing, or an SMS gateway's webhook
 * (SMS_RESEND_WEBHOOK_URL). The gateway then reports on the new message ids like any other.
 */
import type { Logger } from '../log';

export interface ResendRequest {
	/** The new message's id: the gateway reports on it under this id. */
	messageId: string;
	resendOf: string;
	/** The number to send to, as held. */
	to: string;
	text: string;
	language: string;
	siteCode: string;
	beneficiaryRef: string;
}

export type NotifyResult = { ok: true } | { ok: false; error: string };

export interface SmsNotifier {
	readonly name: 'log' | 'webhook';
	send(messages: ResendRequest[]): Promise<NotifyResult>;
}

/** Logs each request (numbers masked) and accepts it: for development and demos. */
export function logNotifier(log: Logger): SmsNotifier {
	return {
		name: 'log',
		async send(messages) {
			for (const m of messages) {
				log.info(
					{ messageId: m.messageId, resendOf: m.resendOf, site: m.siteCode, language: m.language },
					'SMS resend requested (log notifier: nothing is sent)'
				);
			}
			return { ok: true };
		}
	};
}

/**
 * POSTs `{ "messages": [ResendRequest…] }` as JSON; any 2xx answer means the gateway took
 * them. Anything else (or no answer within `timeoutMs`) is a failure, reported per message.
 */
export function webhookNotifier(url: string, timeoutMs: number, log: Logger): SmsNotifier {
	return {
		name: 'webhook',
		async send(messages) {
			try {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ messages }),
					signal: AbortSignal.timeout(timeoutMs)
				});
				// The body is not needed; read it so the connection can be reused.
				await res.arrayBuffer().catch(() => undefined);
				if (res.ok) return { ok: true };
				return { ok: false, error: `the gateway answered ${res.status}` };
			} catch (err) {
				const error =
					err instanceof Error && err.name === 'TimeoutError'
						? `no answer from the gateway within ${timeoutMs} ms`
						: `the gateway could not be reached: ${err instanceof Error ? err.message : String(err)}`;
				log.warn({ err, count: messages.length }, 'SMS resend webhook failed');
				return { ok: false, error };
			}
		}
	};
}

export function createNotifier(
	config: { SMS_RESEND_WEBHOOK_URL?: string; SMS_RESEND_TIMEOUT_MS: number },
	log: Logger
): SmsNotifier {
	return config.SMS_RESEND_WEBHOOK_URL
		? webhookNotifier(config.SMS_RESEND_WEBHOOK_URL, config.SMS_RESEND_TIMEOUT_MS, log)
		: logNotifier(log);
}
