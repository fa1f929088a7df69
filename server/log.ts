import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout. Personal data (names, phones) is never logged. */
export function createLogger(level: string): Logger {
	return pino({
		level,
		base: undefined,
		redact: {
			paths: ['phone', '*.phone', 'name', '*.name', 'password', '*.password'],
			remove: true
		}
	});
}
