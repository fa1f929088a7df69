import { describe, expect, it } from 'vitest';
import type { SiteContextView } from '$lib/shared/complaint';
import { answerFor } from './answer';

const TZ = 'Asia/Kolkata';
const at = (hhmm: string) => `2021-01-16T${hhmm}:00+05:30`;
const ms = (hhmm: string) => Date.parse(at(hhmm));

function context(over: Partial<SiteContextView['site']> = {}, more: Partial<SiteContextView> = {}) {
	const c: SiteContextView = {
		at: at('11:00'),
		site: {
			code: 'P1',
			name: 'Aundh District Hospital',
			districtCode: '521',
			districtName: 'Pune',
			pincode: null,
			mode: 'online',
			modeChangedAt: null,
			status: 'active',
			cause: null,
			dosesToday: 42,
			lastDoseAt: at('10:55'),
			lastHeartbeatAt: at('10:58'),
			...over
		},
		sessions: [{ startsAt: at('10:00'), endsAt: at('17:00'), capacity: 100, vaccine: null }],
		sms: { sent: 0, delivered: 0, failed: 0, pending: 0, otpSent: 0, otpFailed: 0, reasons: [] },
		alerts: [],
		complaints: { open: 0, total: 0 },
		...more
	};
	return c;
}

const texts = (c: SiteContextView, status: Parameters<typeof answerFor>[1], now: string) =>
	answerFor(c, status, TZ, ms(now)).map((l) => l.text);

describe('what to tell the caller', () => {
	it('a centre on paper: go during the session', () => {
		const c = context({ mode: 'manual', modeChangedAt: at('09:40') });
		expect(texts(c, 'manual', '09:45')).toEqual([
			"The centre is on paper (manual) registration since 09:40: staff register people by hand, so go during today's session, 10:00–17:00."
		]);
	});

	it('a centre not open yet: when it opens', () => {
		expect(texts(context(), 'closed', '08:30')).toEqual([
			'The centre opens at 10:00 today (session 10:00–17:00).'
		]);
	});

	it('a session over, or none today', () => {
		expect(texts(context(), 'closed', '17:30')).toEqual(["Today's session ended at 17:00."]);
		expect(texts(context({}, { sessions: [] }), 'closed', '11:00')).toEqual([
			'There is no session at this centre today.'
		]);
	});

	it('a stalled centre, with why', () => {
		const c = context({ cause: 'no dose for 25 min' });
		expect(texts(c, 'stalled', '11:00')[0]).toBe(
			'The centre is open (10:00–17:00) but is not recording vaccinations (no dose for 25 min). Officers can switch it to paper registration.'
		);
	});

	it('a centre vaccinating now', () => {
		expect(texts(context(), 'active', '11:00')).toEqual([
			'The centre is vaccinating now (10:00–17:00): 42 doses today, the latest at 10:55.'
		]);
	});

	it('says SMS are failing from a fifth of them on, with the commonest reason', () => {
		const sms = (sent: number, failed: number) => ({
			sent,
			delivered: sent - failed,
			failed,
			pending: 0,
			otpSent: sent,
			otpFailed: failed,
			reasons: [{ reason: 'DND / blocked', n: failed }]
		});
		expect(texts(context({}, { sms: sms(100, 19) }), 'active', '11:00')).toHaveLength(1);
		expect(texts(context({}, { sms: sms(100, 20) }), 'active', '11:00')[1]).toBe(
			'SMS for this centre are failing: 20 of 100 today (OTP: 20 of 100 failed); most often: DND / blocked.'
		);
	});

	it('names a service incident', () => {
		const alerts = [
			{
				id: 'a1',
				kind: 'health_incident',
				status: 'open' as const,
				openedAt: at('10:30'),
				summary: 'National server down: 3 failed checks in a row'
			},
			{
				id: 'a2',
				kind: 'site_stalled',
				status: 'open' as const,
				openedAt: at('10:40'),
				summary: 'x'
			}
		];
		const lines = answerFor(context({}, { alerts }), 'active', TZ, ms('11:00'));
		expect(lines.at(-1)).toEqual({
			topic: 'service',
			text: 'National server down: 3 failed checks in a row'
		});
		expect(lines).toHaveLength(2);
	});
});
