import { smsReasonGroups, type SmsReasonGroup } from '$lib/shared/sms';

/**
 * One colour per failure reason on the board's chart and legend (Okabe–Ito, distinct for
 * the common colour-vision deficiencies); every use also names the reason in words.
 */
export const reasonColours: Record<SmsReasonGroup, string> = {
	invalid_number: '#0072b2',
	dnd_blocked: '#cc79a7',
	dlt_rejected: '#e69f00',
	expired: '#56b4e9',
	gateway_error: '#d55e00',
	unknown: '#737b85'
};

export const reasonOrder: readonly SmsReasonGroup[] = smsReasonGroups;

/** "42%", "<1%" for a small non-zero share, "—" when there is nothing to divide. */
export function percent(rate: number | null): string {
	if (rate === null) return '—';
	const p = Math.round(rate * 100);
	if (rate > 0 && p === 0) return '<1%';
	if (rate < 1 && p === 100) return '99%';
	return `${p}%`;
}

/** The page reads the board again on this key (every few seconds, and when SMS counts move). */
export const BOARD_KEY = 'app:sms-board';
