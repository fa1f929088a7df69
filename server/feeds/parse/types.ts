/** What every feed parser returns: the items it could read and the ones it refused. */

export interface ParsedItem<T> {
	/** Position of the item in the body (array index, NDJSON line, Bundle entry, CoWIN center). */
	index: number;
	value: T;
	/** The item as sent, kept in case the writer refuses it later (for example: unknown site). */
	raw: unknown;
}

export interface ItemError {
	index: number;
	error: string;
	/** The item as sent (a JSON value, or the raw text of an NDJSON line), for quarantine. */
	raw: unknown;
}

export interface Parsed<T> {
	items: ParsedItem<T>[];
	rejected: ItemError[];
}

/** The body cannot be read at all; the caller answers 400 with this message. */
export class BodyError extends Error {
	name = 'BodyError';
}

export interface ParseOptions {
	/** The state's IANA time zone (APP_TIMEZONE): local wall-clock times are read in it. */
	timeZone: string;
}
