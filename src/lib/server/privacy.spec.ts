import { describe, expect, it } from 'vitest';
import type { Role } from './db/schema';
import type { Principal } from './auth/policy';
import { maskName, maskPhone, nameFor, phoneFor } from './privacy';

const person = (role: Role): Principal => ({
	kind: 'user',
	user: { id: 'u1', username: role, displayName: role, role, districts: [] }
});

describe('maskPhone', () => {
	it('keeps only the last three digits behind a fixed-length mask', () => {
		expect(maskPhone('+91 98765 43210')).toBe('••••••210');
		expect(maskPhone('9876543210')).toBe('••••••210');
		expect(maskPhone('98765')).toBe('••••••765');
	});

	it('gives nothing away for very short or empty values', () => {
		expect(maskPhone('1234')).toBe('••••••');
		expect(maskPhone('')).toBe('');
		expect(maskPhone(null)).toBe('');
		expect(maskPhone(undefined)).toBe('');
		expect(maskPhone('n/a')).toBe('');
	});
});

describe('maskName', () => {
	it('reduces a name to its initials', () => {
		expect(maskName('Sunita Devi Sharma')).toBe('S. D. S.');
		expect(maskName('  rahul   k ')).toBe('R. K.');
		expect(maskName('')).toBe('');
		expect(maskName(null)).toBe('');
	});

	it('keeps whole graphemes of Indic scripts', () => {
		// 'सु' is a consonant with its vowel sign: one grapheme, two code points.
		expect(maskName('सुनीता देवी')).toBe('सु. दे.');
		expect(maskName('সুনীতা')).toBe('সু.');
	});
});

describe('who sees personal data', () => {
	it('shows it to roles that phone people and masks it for the secretary and machines', () => {
		for (const role of ['admin', 'state_officer', 'district_officer', 'helpdesk'] as const) {
			expect(phoneFor(person(role), '9876543210'), role).toBe('9876543210');
			expect(nameFor(person(role), 'Sunita Devi'), role).toBe('Sunita Devi');
		}
		expect(phoneFor(person('secretary'), '9876543210')).toBe('••••••210');
		expect(nameFor(person('secretary'), 'Sunita Devi')).toBe('S. D.');
		const token: Principal = {
			kind: 'token',
			tokenId: 't',
			name: 'gw',
			scopes: ['read', 'ingest']
		};
		expect(phoneFor(token, '9876543210')).toBe('••••••210');
		expect(nameFor(token, 'Sunita Devi')).toBe('S. D.');
	});
});
