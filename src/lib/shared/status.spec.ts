import { describe, expect, it } from 'vitest';
import { deriveSiteStatus, type SiteFacts } from './status';

const thresholds = { stallMinutes: 15, startupGraceMinutes: 30 };
const opened = new Date('2021-01-16T09:00:00+05:30');
const at = (minutesAfterOpening: number) =>
	new Date(opened.getTime() + minutesAfterOpening * 60_000);
const site = (facts: Partial<SiteFacts>): SiteFacts => ({
	mode: 'online',
	openSince: opened,
	lastDoseAt: null,
	lastHeartbeatAt: null,
	...facts
});

describe('deriveSiteStatus', () => {
	it('is closed when no session is open and manual whenever an officer switched it', () => {
		expect(deriveSiteStatus(site({ openSince: null }), at(0), thresholds).status).toBe('closed');
		expect(deriveSiteStatus(site({ mode: 'manual' }), at(90), thresholds).status).toBe('manual');
		expect(
			deriveSiteStatus(site({ mode: 'manual', openSince: null }), at(0), thresholds).status
		).toBe('manual');
	});

	it('is idle inside the start-up grace period and stalled from its end (no dose yet)', () => {
		expect(deriveSiteStatus(site({}), at(29.99), thresholds).status).toBe('idle');
		const atGrace = deriveSiteStatus(site({}), at(30), thresholds);
		expect(atGrace.status).toBe('stalled');
		expect(atGrace.cause).toBe('no dose since the session opened; device never reported');
		expect(deriveSiteStatus(site({}), at(30.01), thresholds).status).toBe('stalled');
	});

	it('stays active up to and at the stall window after a dose, and stalls just past it', () => {
		const facts = site({ lastDoseAt: at(40), lastHeartbeatAt: at(54) });
		expect(deriveSiteStatus(facts, at(54.99), thresholds).status).toBe('active');
		expect(deriveSiteStatus(facts, at(55), thresholds).status).toBe('active');
		const past = deriveSiteStatus(facts, at(55.01), thresholds);
		expect(past.status).toBe('stalled');
		expect(past.cause).toBe('no dose for 15 min; device alive');
	});

	it('names a silent device as part of the cause', () => {
		const facts = site({ lastDoseAt: at(10), lastHeartbeatAt: at(10) });
		expect(deriveSiteStatus(facts, at(40), thresholds).cause).toBe(
			'no dose for 30 min; device silent for 30 min'
		);
	});

	it('ignores a dose from before the session opened', () => {
		const facts = site({ lastDoseAt: at(-5) });
		expect(deriveSiteStatus(facts, at(10), thresholds).status).toBe('idle');
	});

	it('goes back to active when doses resume after a switch back online', () => {
		const facts = site({ lastDoseAt: at(100) });
		expect(deriveSiteStatus({ ...facts, mode: 'manual' }, at(101), thresholds).status).toBe(
			'manual'
		);
		expect(deriveSiteStatus(facts, at(101), thresholds).status).toBe('active');
	});

	it('gives a site switched back online one stall window for its first dose, then stalls', () => {
		// Last dose in the app at 40, on paper from 50, back online at 120.
		const facts = site({ lastDoseAt: at(40), lastHeartbeatAt: at(40), onlineSince: at(120) });
		expect(deriveSiteStatus(facts, at(134.99), thresholds).status).toBe('idle');
		expect(deriveSiteStatus(facts, at(135), thresholds).status).toBe('idle');
		const past = deriveSiteStatus(facts, at(135.01), thresholds);
		expect(past.status).toBe('stalled');
		expect(past.cause).toBe('no dose since back online 15 min ago; device silent for 95 min');
		// A dose in the app after the switch back keeps it active as usual.
		const dosing = { ...facts, lastDoseAt: at(130) };
		expect(deriveSiteStatus(dosing, at(145), thresholds).status).toBe('active');
		expect(deriveSiteStatus(dosing, at(145.01), thresholds).cause).toBe(
			'no dose for 15 min; device silent for 105 min'
		);
	});
});
