import { describe, expect, it } from 'vitest';
import { fallbackMessage, fallbackMessages, indianDate, smsLength } from './sms-text';

describe('SMS length and segments', () => {
	it('counts GSM-7 texts: 160 in one segment, 153 a segment beyond', () => {
		expect(smsLength('')).toMatchObject({ units: 0, segments: 0 });
		expect(smsLength('a'.repeat(160))).toEqual({
			encoding: 'GSM-7',
			units: 160,
			segments: 1,
			perSegment: 160
		});
		expect(smsLength('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
		expect(smsLength('a'.repeat(306))).toMatchObject({ segments: 2 });
		expect(smsLength('a'.repeat(307))).toMatchObject({ segments: 3 });
	});

	it('counts the extension table as two septets and never splits an escape pair', () => {
		expect(smsLength('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsLength('[x]{y}')).toMatchObject({ units: 10 });
		// 152 plain septets, then a two-septet character that does not fit in segment one.
		expect(smsLength('a'.repeat(152) + '€' + 'a'.repeat(10))).toMatchObject({
			units: 164,
			segments: 2
		});
		expect(smsLength('a'.repeat(152) + '€'.repeat(77))).toMatchObject({ units: 306, segments: 3 });
	});

	it('counts Devanagari and Bengali as UCS-2: 70 in one segment, 67 beyond', () => {
		expect(smsLength('क'.repeat(70))).toEqual({
			encoding: 'UCS-2',
			units: 70,
			segments: 1,
			perSegment: 70
		});
		expect(smsLength('ক'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
		expect(smsLength('क'.repeat(134))).toMatchObject({ segments: 2 });
		expect(smsLength('क'.repeat(135))).toMatchObject({ segments: 3 });
	});

	it('turns a whole English text into UCS-2 for one character outside GSM-7', () => {
		expect(smsLength('Slot 09:00–11:00')).toMatchObject({ encoding: 'UCS-2', units: 16 });
		expect(smsLength('Slot 09:00-11:00')).toMatchObject({ encoding: 'GSM-7', units: 16 });
	});

	it('counts an emoji as two UCS-2 units and keeps the pair in one segment', () => {
		expect(smsLength('💉')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1 });
		expect(smsLength('a'.repeat(66) + '💉' + 'a'.repeat(3))).toMatchObject({
			units: 71,
			segments: 2
		});
		expect(smsLength('a'.repeat(66) + '💉' + 'a'.repeat(67))).toMatchObject({ segments: 3 });
	});
});

describe('fallback messages', () => {
	const facts = { centre: 'PHC Hadapsar', date: '2021-01-16', time: '09:00-11:00' };

	it('says where and when in every language, with the date as DD-MM-YYYY', () => {
		expect(indianDate('2021-01-16')).toBe('16-01-2021');
		expect(fallbackMessage('en', facts)).toBe(
			'Your vaccination is at PHC Hadapsar on 16-01-2021 at 09:00-11:00. Please bring a photo ID.'
		);
		expect(fallbackMessage('hi', facts)).toBe(
			'आपका टीकाकरण 16-01-2021 को PHC Hadapsar में होगा, समय 09:00-11:00। कृपया फ़ोटो पहचान पत्र साथ लाएँ।'
		);
		expect(fallbackMessage('mr', facts)).toBe(
			'आपले लसीकरण 16-01-2021 रोजी PHC Hadapsar येथे होईल, वेळ 09:00-11:00. कृपया फोटो ओळखपत्र सोबत आणा.'
		);
		expect(fallbackMessage('bn', facts)).toBe(
			'আপনার টিকাকরণ 16-01-2021 তারিখে PHC Hadapsar-এ হবে, সময় 09:00-11:00। অনুগ্রহ করে ছবিসহ পরিচয়পত্র সঙ্গে আনবেন।'
		);
	});

	it('gives each text its encoding and segment count', () => {
		const texts = fallbackMessages(facts);
		expect(texts.map((t) => [t.language, t.encoding, t.segments])).toEqual([
			['en', 'GSM-7', 1],
			['hi', 'UCS-2', 2],
			['mr', 'UCS-2', 2],
			['bn', 'UCS-2', 2]
		]);
		for (const t of texts) expect(t.units).toBe(smsLength(t.text).units);
	});

	it('tidies the spaces of a centre name', () => {
		expect(fallbackMessage('en', { ...facts, centre: '  Sub  Centre\nWagholi ' })).toContain(
			'at Sub Centre Wagholi on'
		);
	});
});
