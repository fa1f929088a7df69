import { describe, expect, it } from 'vitest';
import { widenCspForMapStyle } from './csp';

const csp =
	"default-src 'self'; script-src 'self' 'nonce-abc'; img-src 'self' data: blob:; connect-src 'self' ws: wss:";

describe('widenCspForMapStyle', () => {
	it('changes nothing without an online style', () => {
		expect(widenCspForMapStyle(csp, undefined)).toBe(csp);
	});

	it('lets the map fetch tiles and images over https, and nothing else changes', () => {
		const widened = widenCspForMapStyle(csp, 'https://tiles.example.gov.in/style.json');
		expect(widened).toContain("connect-src 'self' ws: wss: https:");
		expect(widened).toContain("img-src 'self' data: blob: https:");
		expect(widened).toContain("script-src 'self' 'nonce-abc';");
		expect(widened).toContain("default-src 'self';");
	});

	it('names a plain-http style server by its origin', () => {
		expect(widenCspForMapStyle(csp, 'http://10.0.0.5:8080/style.json')).toContain(
			"connect-src 'self' ws: wss: https: http://10.0.0.5:8080"
		);
	});
});
