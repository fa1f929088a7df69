/**
 * SMS text: how long a text is on the air and how many segments it takes, and the fallback
 * message officers send to WhatsApp groups or read out on calls when the SMS failed.
 * Isomorphic: the call-list page counts as people read, the server counts for resends.
 */

/** GSM 03.38 default alphabet: one septet each (ESC, 0x1B, is not a character of its own). */
const GSM_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
	'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: ESC + one septet, so two each. */
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
	encoding: SmsEncoding;
	/** Characters as the network counts them: septets for GSM-7, UTF-16 units for UCS-2. */
	units: number;
	segments: number;
	/** Units a segment holds at this length: 160/70 for one segment, 153/67 when split. */
	perSegment: number;
}

/**
 * Length and segment count of a text. Any character outside GSM-7 (Devanagari, Bengali,
 * curly quotes, an en dash) makes the whole text UCS-2: 70 a segment, 67 when split.
 * Split GSM-7 texts take 153 septets a segment; an escape pair or a surrogate pair is
 * never split across two segments, as handsets do, so the count is exact.
 */
export function smsLength(text: string): SmsLength {
	const chars = [...text];
	const gsm = chars.every((c) => basic.has(c) || extended.has(c));
	if (gsm) {
		const sizes = chars.map((c) => (extended.has(c) ? 2 : 1));
		return measure('GSM-7', sizes, 160, 153);
	}
	// A character beyond the BMP (an emoji) is a surrogate pair: two UTF-16 units.
	const sizes = chars.map((c) => c.length);
	return measure('UCS-2', sizes, 70, 67);
}

function measure(encoding: SmsEncoding, sizes: number[], single: number, part: number): SmsLength {
	const units = sizes.reduce((a, b) => a + b, 0);
	if (units === 0) return { encoding, units, segments: 0, perSegment: single };
	if (units <= single) return { encoding, units, segments: 1, perSegment: single };
	let segments = 1;
	let used = 0;
	for (const size of sizes) {
		if (used + size > part) {
			segments++;
			used = 0;
		}
		used += size;
	}
	return { encoding, units, segments, perSegment: part };
}

export const fallbackLanguages = ['en', 'hi', 'mr', 'bn'] as const;
export type FallbackLanguage = (typeof fallbackLanguages)[number];

export const fallbackLanguageNames: Record<FallbackLanguage, string> = {
	en: 'English',
	hi: 'हिन्दी (Hindi)',
	mr: 'मराठी (Marathi)',
	bn: 'বাংলা (Bengali)'
};

/** BCP 47 tags, for lang attributes (screen readers and fonts pick the right script). */
export const fallbackLanguageTags: Record<FallbackLanguage, string> = {
	en: 'en-IN',
	hi: 'hi',
	mr: 'mr',
	bn: 'bn'
};

export interface FallbackFacts {
	/** The vaccination centre's name as people know it. */
	centre: string;
	/** The appointment date, YYYY-MM-DD. */
	date: string;
	/** The time or slot, e.g. "09:00-11:00" (an ASCII hyphen keeps English texts in GSM-7). */
	time: string;
}

/**
 * The texts, written to be read aloud as well as sent. Dates are DD-MM-YYYY and digits are
 * Latin in every language, as Indian SMS usually have them. Hindi ends sentences with a
 * danda (।), Marathi with a full stop, Bengali with a dari (।).
 */
const templates: Record<FallbackLanguage, (f: FallbackFacts & { day: string }) => string> = {
	en: (f) =>
		`Your vaccination is at ${f.centre} on ${f.day} at ${f.time}. Please bring a photo ID.`,
	hi: (f) =>
		`आपका टीकाकरण ${f.day} को ${f.centre} में होगा, समय ${f.time}। कृपया फ़ोटो पहचान पत्र साथ लाएँ।`,
	mr: (f) =>
		`आपले लसीकरण ${f.day} रोजी ${f.centre} येथे होईल, वेळ ${f.time}. कृपया फोटो ओळखपत्र सोबत आणा.`,
	bn: (f) =>
		`আপনার টিকাকরণ ${f.day} তারিখে ${f.centre}-এ হবে, সময় ${f.time}। অনুগ্রহ করে ছবিসহ পরিচয়পত্র সঙ্গে আনবেন।`
};

/** YYYY-MM-DD → DD-MM-YYYY. */
export function indianDate(date: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	return m ? `${m[3]}-${m[2]}-${m[1]}` : date;
}

/** The fallback message in one language. */
export function fallbackMessage(language: FallbackLanguage, facts: FallbackFacts): string {
	const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
	return templates[language]({
		centre: clean(facts.centre),
		time: clean(facts.time),
		date: facts.date,
		day: indianDate(facts.date)
	});
}

export interface FallbackText extends SmsLength {
	language: FallbackLanguage;
	text: string;
}

/** The fallback message in every language, each with its SMS length and segments. */
export function fallbackMessages(facts: FallbackFacts): FallbackText[] {
	return fallbackLanguages.map((language) => {
		const text = fallbackMessage(language, facts);
		return { language, text, ...smsLength(text) };
	});
}

export function isFallbackLanguage(value: unknown): value is FallbackLanguage {
	return typeof value === 'string' && (fallbackLanguages as readonly string[]).includes(value);
}
