/** How the review writes its figures: Indian digit grouping, whole percentages, days in words. */
export { formatCount } from '$lib/live/format';

/** 82%; "—" when there is nothing to compare with. Never 0% for some or 100% for not all. */
export function formatPercent(p: number | null): string {
	if (p === null || !Number.isFinite(p)) return '—';
	const r = Math.round(p);
	if (p > 0 && r === 0) return '<1%';
	if (p < 100 && r === 100) return '99%';
	return `${r}%`;
}

/** 95 → "1 h 35 min"; 0 → "—". */
export function formatMinutes(minutes: number): string {
	if (minutes <= 0) return '—';
	if (minutes < 60) return `${minutes} min`;
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const shortDay = new Intl.DateTimeFormat('en-IN', {
	day: 'numeric',
	month: 'short',
	timeZone: 'UTC'
});
const longDay = new Intl.DateTimeFormat('en-IN', {
	weekday: 'short',
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	timeZone: 'UTC'
});

const asUtc = (date: string) => new Date(`${date}T00:00:00Z`);

/** "16 Jan" (a local date, YYYY-MM-DD, formatted without shifting zones). */
export function formatShortDate(date: string): string {
	return shortDay.format(asUtc(date));
}

const weekdayDay = new Intl.DateTimeFormat('en-IN', {
	weekday: 'short',
	day: 'numeric',
	month: 'short',
	timeZone: 'UTC'
});

/** "Sat 16 Jan", for rows of days whose year the heading already gives. */
export function formatTableDate(date: string): string {
	const p = Object.fromEntries(weekdayDay.formatToParts(asUtc(date)).map((x) => [x.type, x.value]));
	return `${p.weekday} ${p.day} ${p.month}`;
}

/** "Sat 16 Jan 2021". */
export function formatLongDate(date: string): string {
	const p = Object.fromEntries(longDay.formatToParts(asUtc(date)).map((x) => [x.type, x.value]));
	return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "10–16 Jan 2021", or one day in full. */
export function formatRange(from: string, to: string): string {
	if (from === to) return formatLongDate(from);
	const year = to.slice(0, 4);
	const start = from.slice(0, 4) === year ? formatShortDate(from) : formatLongDate(from);
	return `${start} – ${formatShortDate(to)} ${year}`;
}

/** How a share of the target is read: the band a district is in, in words. */
export const targetBands = [
	{ min: 100, label: 'Target met (100% or more)', short: '≥ 100%', color: '#08519c' },
	{ min: 80, label: '80–99% of target', short: '80–99%', color: '#3182bd' },
	{ min: 50, label: '50–79% of target', short: '50–79%', color: '#9ecae1' },
	{ min: 0, label: 'Under 50% of target', short: '< 50%', color: '#deebf7' }
] as const;

export const noTargetBand = { label: 'No target set', short: 'No target', color: '#ffffff' };

export function targetBand(percent: number | null) {
	if (percent === null) return noTargetBand;
	return targetBands.find((b) => percent >= b.min) ?? targetBands[targetBands.length - 1];
}
