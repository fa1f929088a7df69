import { localParts, offsetMinutes } from './time';

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * ISO-8601 with the zone's own offset: '2025-01-16T10:00:05.120+05:30'. Exports read in
 * the state's time while staying exact instants.
 */
export function isoInZone(at: Date, timeZone: string): string {
	const p = localParts(at, timeZone);
	const offset = offsetMinutes(at, timeZone);
	const sign = offset < 0 ? '-' : '+';
	const ms = pad(at.getUTCMilliseconds(), 3);
	return (
		`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${ms}` +
		`${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
	);
}

const stamp = new Map<string, Intl.DateTimeFormat>();

/** '16 Jan 2025, 10:00:05' in the zone, for tables. */
export function formatStamp(iso: string | Date | null | undefined, timeZone: string): string {
	if (!iso) return '—';
	const at = typeof iso === 'string' ? new Date(iso) : iso;
	if (Number.isNaN(at.getTime())) return '—';
	let f = stamp.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-IN', {
			timeZone,
			day: 'numeric',
			month: 'short',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		});
		stamp.set(timeZone, f);
	}
	return f.format(at);
}
