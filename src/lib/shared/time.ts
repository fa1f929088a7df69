/**
 * Calendar days and hours in the state's time zone (APP_TIMEZONE), never the
 * server's or UTC. Isomorphic: used by the server and the browser.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = partsFormatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		});
		partsFormatters.set(timeZone, f);
	}
	return f;
}

interface LocalParts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

export function localParts(at: Date, timeZone: string): LocalParts {
	const out: Record<string, number> = {};
	for (const p of formatter(timeZone).formatToParts(at)) {
		if (p.type !== 'literal') out[p.type] = Number(p.value);
	}
	return out as unknown as LocalParts;
}

/** Offset of timeZone from UTC at the instant `at`, in minutes (IST: +330). */
export function offsetMinutes(at: Date, timeZone: string): number {
	const p = localParts(at, timeZone);
	const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, timeZone: string): string {
	const p = localParts(at, timeZone);
	return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant a local wall-clock time happens (date YYYY-MM-DD, time HH:MM[:SS]). */
export function zonedTime(date: string, time: string, timeZone: string): Date {
	const [y, m, d] = date.split('-').map(Number);
	const [hh, mm, ss = 0] = time.split(':').map(Number);
	const guess = Date.UTC(y, m - 1, d, hh, mm, ss);
	// Two passes settle the offset even on a DST boundary in zones that have one.
	let at = new Date(guess - offsetMinutes(new Date(guess), timeZone) * 60000);
	at = new Date(guess - offsetMinutes(at, timeZone) * 60000);
	return at;
}

/** Start of the local day that contains `at`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
	return zonedTime(localDate(at, timeZone), '00:00', timeZone);
}

/** Start of the local hour that contains `at`. */
export function startOfLocalHour(at: Date, timeZone: string): Date {
	const p = localParts(at, timeZone);
	return zonedTime(
		`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
		`${pad(p.hour)}:00`,
		timeZone
	);
}

/** The local date `days` after `date` (negative for before). */
export function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	const t = new Date(Date.UTC(y, m - 1, d + days));
	return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** HH:MM of an instant in the zone, for labels. */
export function localClock(at: Date, timeZone: string): string {
	const p = localParts(at, timeZone);
	return `${pad(p.hour)}:${pad(p.minute)}`;
}
