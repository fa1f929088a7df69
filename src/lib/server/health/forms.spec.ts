import { describe, expect, it } from 'vitest';
import { parseNoticeForm, parseProbeForm } from './forms';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};

const probe = {
	target: 'national-server',
	url: 'https://cowin.example.gov.in/health',
	method: 'GET',
	expectStatus: '200',
	expectBody: '',
	timeoutMs: '5000',
	intervalSeconds: '30',
	enabled: 'on'
};

describe('parseProbeForm', () => {
	it('reads a good form', () => {
		expect(parseProbeForm(form(probe))).toEqual({
			ok: true,
			value: {
				target: 'national-server',
				url: 'https://cowin.example.gov.in/health',
				method: 'GET',
				expectStatus: 200,
				expectBody: null,
				timeoutMs: 5000,
				intervalSeconds: 30,
				enabled: true
			}
		});
	});

	it('accepts a path on this server and an unticked box as paused', () => {
		const r = parseProbeForm(form({ ...probe, url: '/healthz', enabled: '' }));
		expect(r.ok && r.value).toMatchObject({ url: '/healthz', enabled: false });
	});

	it('names each bad field', () => {
		const r = parseProbeForm(
			form({
				...probe,
				target: 'National Server',
				url: 'ftp://x',
				expectStatus: '99',
				intervalSeconds: 'often'
			})
		);
		expect(r.ok).toBe(false);
		expect(!r.ok && Object.keys(r.errors).sort()).toEqual(
			['expectStatus', 'intervalSeconds', 'target', 'url'].sort()
		);
		expect(!r.ok && r.errors.url).toMatch(/http:\/\/ or https:\/\//);
	});

	it('refuses a protocol-relative URL and a timeout longer than the interval', () => {
		expect(parseProbeForm(form({ ...probe, url: '//evil.example/x' })).ok).toBe(false);
		const r = parseProbeForm(form({ ...probe, timeoutMs: '40000', intervalSeconds: '30' }));
		expect(!r.ok && r.errors.timeoutMs).toBe('timeout: no longer than the interval');
	});

	it('ignores the body text of a HEAD check', () => {
		const r = parseProbeForm(form({ ...probe, method: 'HEAD', expectBody: 'ok' }));
		expect(r.ok && r.value.expectBody).toBeNull();
	});
});

describe('parseNoticeForm', () => {
	it('reads the words, the override and the targets', () => {
		expect(
			parseNoticeForm(
				form({
					component: 'sms-gateway',
					instruction: ' Use paper. ',
					message: '',
					override: 'down',
					targets: 'otp-service, sms-gateway'
				})
			)
		).toEqual({
			ok: true,
			value: {
				component: 'sms-gateway',
				instruction: 'Use paper.',
				message: null,
				override: 'down',
				targets: ['otp-service', 'sms-gateway']
			}
		});
	});

	it('keeps the targets when the form has none, and measured means no override', () => {
		const r = parseNoticeForm(
			form({ component: 'x', instruction: 'Wait.', message: 'NIC informed', override: '' })
		);
		expect(r.ok && r.value).toEqual({
			component: 'x',
			instruction: 'Wait.',
			message: 'NIC informed',
			override: null
		});
	});

	it('needs an instruction and a known status', () => {
		const r = parseNoticeForm(
			form({ component: 'x', instruction: ' ', message: '', override: 'sideways' })
		);
		expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['instruction', 'override']);
	});
});
