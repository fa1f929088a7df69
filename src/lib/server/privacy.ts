/**
 * Masking for personal data (beneficiary names and phone numbers) shown to roles that do
 * not phone people. Whether a caller sees the real value is policy.ts's canSeePersonalData.
 */
import { canSeePersonalData, type Principal } from './auth/policy';

const MASK = '•';

/**
 * All but the last three digits hidden, with a fixed-length mask so the length of the
 * number is not given away either: '+91 98765 43210' → '••••••210'.
 */
export function maskPhone(phone: string | null | undefined): string {
	const digits = (phone ?? '').replace(/\D/g, '');
	if (digits.length === 0) return '';
	if (digits.length <= 4) return MASK.repeat(6);
	return MASK.repeat(6) + digits.slice(-3);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Initials only: 'Sunita Devi Sharma' → 'S. D. S.'. Works by grapheme, so a Devanagari
 * or Bengali name keeps a readable first letter (with its vowel sign) rather than a half.
 */
export function maskName(name: string | null | undefined): string {
	const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
	return words
		.map((word) => {
			const first = graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '';
			return `${first.toLocaleUpperCase()}.`;
		})
		.join(' ');
}

/** A phone number as this principal may see it. */
export function phoneFor(principal: Principal, phone: string | null | undefined): string {
	return canSeePersonalData(principal) ? (phone ?? '') : maskPhone(phone);
}

/** A person's name as this principal may see it. */
export function nameFor(principal: Principal, name: string | null | undefined): string {
	return canSeePersonalData(principal) ? (name ?? '') : maskName(name);
}
