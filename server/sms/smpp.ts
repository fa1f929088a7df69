/**
 * SMPP 3.4 delivery receipts as text (the short_message of a deliver_sm, SMPP 3.4
 * Appendix B): `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`, one
 * receipt per line. SMSCs and gateways write them loosely: fields in any order, sub, dlvrd
 * and text left out, 10, 12 or 14-digit dates, ids in decimal, hex or as UUIDs, stray
 * control bytes. Each line is read alone: a bad one is refused without the others.
 */
import type { SmsReportRecord } from '../../src/lib/shared/feeds';
import { zonedTime } from '../../src/lib/shared/time';
import { isCalendarDate, MAX_ID, shown } from '../feeds/parse/fields';
import type { Parsed } from '../feeds/parse/types';
import { reasonGroupOf, smppErrKey, smppStats } from './outcome';

/** What is kept in quarantine for a refused line: the line and when it came. */
export interface SmppRaw {
	line: string;
	receivedAt: string;
	/** The zone its dates were read in, so a replay reads them alike. */
	timeZone?: string;
}

export interface SmppOptions {
	/** The zone the SMSC writes its dates in (SMPP_DLR_TIMEZONE, else APP_TIMEZONE). */
	timeZone: string;
}

type Key = 'id' | 'sub' | 'dlvrd' | 'submit date' | 'done date' | 'stat' | 'err' | 'text';

/** A field name at the start of the line or after a space. */
const FIELD = /(^|\s)(id|sub|dlvrd|submit[ _]date|done[ _]date|stat|err|text)\s*:/gi;

// Control bytes (GSM padding, 0x04 0x1A from GoIP gateways, NULs from C strings); tabs
// become spaces so they still separate fields.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The body as lines: control bytes stripped, blank lines dropped. */
export function smppLines(text: string): string[] {
	return text
		.split(/\r\n|\n|\r/)
		.map((l) => l.replace(/\t/g, ' ').replace(CONTROL, '').trim())
		.filter((l) => l.length > 0);
}

/**
 * The fields of one receipt. After `text:` (which may hold anything), a field name already
 * seen is part of the text and a new one ends it; before it, a repeated field keeps its
 * first value.
 */
export function smppFields(line: string): Partial<Record<Key, string>> {
	const found: { key: Key; start: number; valueStart: number }[] = [];
	const seen = new Set<Key>();
	for (const m of line.matchAll(FIELD)) {
		const key = m[2].toLowerCase().replace('_', ' ') as Key;
		if (seen.has(key)) continue;
		seen.add(key);
		found.push({ key, start: m.index + m[1].length, valueStart: m.index + m[0].length });
	}
	const fields: Partial<Record<Key, string>> = {};
	found.forEach((f, i) => {
		const end = i + 1 < found.length ? found[i + 1].start : line.length;
		fields[f.key] = line.slice(f.valueStart, end).trim();
	});
	return fields;
}

/** Dates already read: a batch of receipts shares a handful of minutes, and zone maths is slow. */
const readDates = new Map<string, Date | null>();

/** YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss, read in `timeZone`; null when not a date. */
export function smppDate(value: string, timeZone: string): Date | null {
	const key = `${timeZone} ${value}`;
	const held = readDates.get(key);
	if (held !== undefined) return held && new Date(held.getTime());
	if (readDates.size > 10_000) readDates.clear();
	const at = readSmppDate(value, timeZone);
	readDates.set(key, at);
	return at && new Date(at.getTime());
}

function readSmppDate(value: string, timeZone: string): Date | null {
	let y: number, rest: string;
	if (/^\d{14}$/.test(value)) {
		y = Number(value.slice(0, 4));
		rest = value.slice(4);
	} else if (/^\d{10}(\d{2})?$/.test(value)) {
		// Two-digit years are this century's: receipts are about messages sent days ago.
		y = 2000 + Number(value.slice(0, 2));
		rest = value.slice(2);
	} else return null;
	const [mo, d, h, mi] = [0, 2, 4, 6].map((i) => Number(rest.slice(i, i + 2)));
	const s = rest.length >= 10 ? Number(rest.slice(8, 10)) : 0;
	if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
	const pad = (n: number, w = 2) => String(n).padStart(w, '0');
	return zonedTime(`${pad(y, 4)}-${pad(mo)}-${pad(d)}`, `${pad(h)}:${pad(mi)}:${pad(s)}`, timeZone);
}

const DATE_FORMS = 'YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss';

/** One receipt line as a report, or why it cannot be one. */
export function readSmppReceipt(
	raw: SmppRaw,
	opts: SmppOptions
): { ok: true; value: SmsReportRecord } | { ok: false; error: string } {
	const f = smppFields(raw.line);
	const timeZone = raw.timeZone ?? opts.timeZone;
	const id = f.id ?? '';
	if (!id) return { ok: false, error: 'id: required' };
	if (/\s/.test(id) || id.length > MAX_ID)
		return {
			ok: false,
			error: `id: must be one word of at most ${MAX_ID} characters, got ${shown(id)}`
		};
	const statText = (f.stat ?? '').toUpperCase();
	if (!statText) return { ok: false, error: 'stat: required' };
	const stat = smppStats[statText];
	if (!stat)
		return {
			ok: false,
			error: `stat: must be one of ${Object.keys(smppStats).join(', ')}, got ${shown(f.stat)}`
		};
	const dates: Partial<Record<'submit date' | 'done date', Date>> = {};
	for (const key of ['submit date', 'done date'] as const) {
		const value = f[key];
		if (value === undefined || value === '') continue;
		const at = smppDate(value, timeZone);
		if (!at) return { ok: false, error: `${key}: must be ${DATE_FORMS}, got ${shown(value)}` };
		dates[key] = at;
	}
	const err = f.err ?? '';
	if (err.length > 20) return { ok: false, error: `err: must be a short code, got ${shown(err)}` };
	const errorCode = smppErrKey(err) ?? (err && Number(err) !== 0 ? err : null);
	// The done date is when the message reached this state; without one, when it was sent.
	const at = dates['done date'] ?? dates['submit date'] ?? new Date(raw.receivedAt);
	if (Number.isNaN(at.getTime())) return { ok: false, error: 'receivedAt: not a time' };
	const value: SmsReportRecord = {
		messageId: id,
		status: stat.status,
		at,
		errorCode,
		reason: `stat:${statText}${errorCode ? ` err:${err}` : ''}`,
		provider: 'smpp',
		form: 'smpp'
	};
	value.reasonGroup = reasonGroupOf({ ...value, defaultGroup: stat.group });
	return { ok: true, value };
}

/** A whole body: one report per non-blank line, `index` counting those lines from 0. */
export function parseSmppBody(
	text: string,
	opts: SmppOptions,
	receivedAt: Date
): Parsed<SmsReportRecord> {
	const out: Parsed<SmsReportRecord> = { items: [], rejected: [] };
	smppLines(text).forEach((line, index) => {
		const raw: SmppRaw = { line, receivedAt: receivedAt.toISOString(), timeZone: opts.timeZone };
		const read = readSmppReceipt(raw, opts);
		if (read.ok) out.items.push({ index, value: read.value, raw });
		else out.rejected.push({ index, error: `line ${index + 1}: ${read.error}`, raw });
	});
	return out;
}

/** A quarantined line, read again as it was first read. */
export function reparseSmpp(raw: unknown, opts: SmppOptions): Parsed<SmsReportRecord> {
	const held = raw as Partial<SmppRaw> | null;
	if (!held || typeof held.line !== 'string' || typeof held.receivedAt !== 'string')
		return { items: [], rejected: [{ index: 0, error: 'not a kept SMPP receipt', raw }] };
	const read = readSmppReceipt(held as SmppRaw, opts);
	return read.ok
		? { items: [{ index: 0, value: read.value, raw }], rejected: [] }
		: { items: [], rejected: [{ index: 0, error: read.error, raw }] };
}

/**
 * The ways an SMSC may write one message id: as given, in either case, without leading
 * zeros, and converted between decimal and hex (an SMSC that answers submit_sm with a hex
 * id often reports it in decimal in the receipt: 0059113978 is 0x38601FA). A receipt is
 * matched to a message by exact id first and by these only when that fails.
 */
export function receiptIdVariants(id: string): string[] {
	const out = new Set<string>([id, id.toLowerCase(), id.toUpperCase()]);
	const stripped = id.replace(/^0+(?=.)/, '');
	out.add(stripped);
	out.add(stripped.toLowerCase());
	out.add(stripped.toUpperCase());
	if (/^\d{1,18}$/.test(id)) {
		const hex = BigInt(id).toString(16);
		out.add(hex);
		out.add(hex.toUpperCase());
	}
	if (/^[0-9a-f]{1,16}$/i.test(id)) {
		out.add(BigInt(`0x${id}`).toString(10));
		// Decimal ids are often zero-padded to 10 digits, as in the SMPP 3.4 example.
		out.add(BigInt(`0x${id}`).toString(10).padStart(10, '0'));
	}
	out.delete('');
	return [...out];
}
