const ms = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const seconds = new Intl.NumberFormat('en-IN', {
	minimumFractionDigits: 1,
	maximumFractionDigits: 1
});

/** "180 ms" under a second, "2.3 s" above; a dash when unknown. */
export function formatLatency(value: number | null | undefined): string {
	if (value == null) return '—';
	return value < 1000 ? `${ms.format(value)} ms` : `${seconds.format(value / 1000)} s`;
}

/** "2.5%" (one decimal under 10%), "40%"; a dash without samples. */
export function formatRate(rate: number | null | undefined): string {
	if (rate == null) return '—';
	const pct = rate * 100;
	if (pct === 0) return '0%';
	return pct < 10 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
}

/** "2 checks in a row", "50% of checks in 5 min": the incident rule in words. */
export function describeRule(t: {
	openAfter: number;
	closeAfter: number;
	errorRate: number;
	errorWindowMs: number;
	errorMinSamples: number;
}): string {
	const minutes = Math.round(t.errorWindowMs / 60_000);
	return (
		`An incident opens after ${t.openAfter} slow or failed checks in a row, or when ` +
		`${Math.round(t.errorRate * 100)}% of the checks in ${minutes} min fail (at least ` +
		`${t.errorMinSamples} checks); it closes after ${t.closeAfter} good checks in a row.`
	);
}
