import { localClock } from '$lib/shared/time';

const count = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });

/** A count with Indian digit grouping (12,34,567). */
export function formatCount(n: number | null | undefined): string {
	return n == null ? '—' : count.format(n);
}

/** HH:MM of an ISO instant in the state's time zone; a dash when there is none. */
export function formatClock(iso: string | null | undefined, timeZone: string): string {
	if (!iso) return '—';
	const at = new Date(iso);
	return Number.isNaN(at.getTime()) ? '—' : localClock(at, timeZone);
}

const dayParts = new Intl.DateTimeFormat('en-IN', {
	weekday: 'long',
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	// The day is already the state's; formatted as a UTC date so no zone shifts it.
	timeZone: 'UTC'
});

/** The state's calendar day (YYYY-MM-DD) in words: "Saturday 16 January 2021". */
export function formatDay(day: string): string {
	const [y, m, d] = day.split('-').map(Number);
	if (!y || !m || !d) return day;
	const p = Object.fromEntries(
		dayParts.formatToParts(new Date(Date.UTC(y, m - 1, d))).map((x) => [x.type, x.value])
	);
	return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** Whole minutes between an ISO instant and now, for "12 min ago"; null when unknown. */
export function minutesAgo(iso: string | null | undefined, now: number): number | null {
	if (!iso) return null;
	const t = Date.parse(iso);
	return Number.isNaN(t) ? null : Math.max(0, Math.floor((now - t) / 60_000));
}

/** "12 min ago", "2 h 5 min ago"; empty under a minute or when unknown. */
export function formatAgo(minutes: number | null): string {
	if (minutes === null || minutes < 1) return '';
	if (minutes < 60) return `${minutes} min ago`;
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m === 0 ? `${h} h ago` : `${h} h ${m} min ago`;
}
