import { describe, expect, it } from 'vitest';
import {
	byVaccine,
	coverageOf,
	dailyTotals,
	datesBetween,
	hourlyPlan,
	percent,
	summarise,
	type ReviewRow
} from './review';
import { zonedTime } from './time';

const TZ = 'Asia/Kolkata';

function row(over: Partial<ReviewRow>): ReviewRow {
	return {
		district: 'A',
		date: '2021-01-16',
		doses: 0,
		target: null,
		sessionsPlanned: 0,
		sessionsHeld: 0,
		smsSent: 0,
		smsDelivered: 0,
		sitesWentManual: 0,
		complaintsOpened: 0,
		complaintsResolved: 0,
		...over
	};
}

describe('summarise', () => {
	it('compares the target with the doses of the days that have one', () => {
		const s = summarise(
			[
				row({ date: '2021-01-16', doses: 80, target: 100 }),
				row({ date: '2021-01-17', doses: 50, target: null }),
				row({ district: 'B', date: '2021-01-16', doses: 30, target: 20 })
			],
			{ manual: [], coverage: [], days: 2 }
		);
		expect(s).toMatchObject({
			doses: 160,
			target: 120,
			dosesOnTargetDays: 110,
			targetDays: 1,
			days: 2
		});
		expect(s.percentOfTarget).toBeCloseTo((110 / 120) * 100);
	});

	it('has no percentages where there is nothing to divide by', () => {
		const s = summarise([row({ doses: 5 })], { manual: [], coverage: [], days: 1 });
		expect(s.target).toBeNull();
		expect(s.percentOfTarget).toBeNull();
		expect(s.smsDeliveryRate).toBeNull();
		expect(s.coverage).toBeNull();
	});

	it('counts a site on paper on several days once, and adds up its minutes', () => {
		const period = (siteCode: string, minutesInRange: number) => ({
			siteCode,
			siteName: siteCode,
			district: 'A',
			from: '2021-01-16T04:00:00.000Z',
			to: null,
			minutesInRange
		});
		const s = summarise([row({ sitesWentManual: 1 }), row({ sitesWentManual: 1 })], {
			manual: [period('S1', 30), period('S1', 45), period('S2', 10)],
			coverage: [],
			days: 2
		});
		expect(s.sitesWentManual).toBe(2);
		expect(s.manualMinutes).toBe(85);
	});

	it('takes coverage only over the districts that gave a registered count', () => {
		const s = summarise([], {
			manual: [],
			coverage: [
				{ district: 'A', registered: 1000, registeredOn: '2021-01-15', firstDoses: 250 },
				{ district: 'B', registered: null, registeredOn: null, firstDoses: 900 }
			],
			days: 1
		});
		expect(s.registered).toBe(1000);
		expect(s.firstDoses).toBe(1150);
		expect(s.coverage).toBe(25);
	});

	it('gives delivery as a share of messages sent', () => {
		const s = summarise([row({ smsSent: 40, smsDelivered: 30 })], {
			manual: [],
			coverage: [],
			days: 1
		});
		expect(s.smsDeliveryRate).toBe(75);
		expect(percent(1, 0)).toBeNull();
	});
});

describe('dailyTotals', () => {
	it('adds the districts up per day and keeps days with nothing', () => {
		const days = dailyTotals(
			['2021-01-16', '2021-01-17'],
			[row({ district: 'A', doses: 3, target: 5 }), row({ district: 'B', doses: 4, target: null })]
		);
		expect(days.map((d) => [d.date, d.doses, d.target])).toEqual([
			['2021-01-16', 7, 5],
			['2021-01-17', 0, null]
		]);
	});
});

describe('hourlyPlan', () => {
	const at = (time: string) => zonedTime('2021-01-16', time, TZ).getTime();

	it('spreads the target over the session hours by capacity', () => {
		const { hourMs, plan } = hourlyPlan({
			date: '2021-01-16',
			timeZone: TZ,
			sessions: [
				{ district: 'A', capacity: 100, startsAtMs: at('09:00'), endsAtMs: at('11:00') },
				{ district: 'A', capacity: 100, startsAtMs: at('10:00'), endsAtMs: at('12:00') }
			],
			targets: new Map([['A', 400]])
		});
		expect(hourMs).toHaveLength(24);
		expect(hourMs[0]).toBe(at('00:00'));
		expect(plan[9]).toBeCloseTo(100);
		expect(plan[10]).toBeCloseTo(200);
		expect(plan[11]).toBeCloseTo(100);
		expect(plan.reduce((a, b) => a + b, 0)).toBeCloseTo(400);
	});

	it('plans the capacity where a district has no target, 09:00–17:00 when a session has no times', () => {
		const { plan } = hourlyPlan({
			date: '2021-01-16',
			timeZone: TZ,
			sessions: [{ district: 'B', capacity: 80, startsAtMs: null, endsAtMs: null }],
			targets: new Map()
		});
		expect(plan.slice(9, 17)).toEqual(new Array(8).fill(10));
		expect(plan[8]).toBe(0);
		expect(plan[17]).toBe(0);
	});

	it('cuts a session at the day’s ends', () => {
		const { plan } = hourlyPlan({
			date: '2021-01-16',
			timeZone: TZ,
			sessions: [
				{
					district: 'A',
					capacity: 48,
					startsAtMs: at('00:00') - 12 * 3_600_000,
					endsAtMs: at('00:00') + 12 * 3_600_000
				}
			],
			targets: new Map([['A', null]])
		});
		expect(plan.slice(0, 12).every((p) => Math.abs(p - 2) < 1e-9)).toBe(true);
		expect(plan.slice(12).every((p) => p === 0)).toBe(true);
	});
});

describe('datesBetween', () => {
	it('lists every day, across a month end', () => {
		expect(datesBetween('2021-01-30', '2021-02-02')).toEqual([
			'2021-01-30',
			'2021-01-31',
			'2021-02-01',
			'2021-02-02'
		]);
		expect(datesBetween('2021-01-02', '2021-01-01')).toEqual([]);
	});
});

describe('coverageOf and byVaccine', () => {
	const doses = [
		{ district: 'A', vaccine: 'COVAXIN', dose: 1, doses: 5 },
		{ district: 'A', vaccine: 'COVISHIELD', dose: 1, doses: 7 },
		{ district: 'A', vaccine: 'COVISHIELD', dose: 2, doses: 3 },
		{ district: 'B', vaccine: 'COVISHIELD', dose: 1, doses: 4 },
		{ district: 'B', vaccine: 'COVISHIELD', dose: 0, doses: 1 }
	];

	it('counts first doses per district beside its latest registered count', () => {
		expect(
			coverageOf([{ code: 'A' }, { code: 'B' }, { code: 'C' }], doses, [
				{ district: 'A', registered: 100, date: '2021-01-15' }
			])
		).toEqual([
			{ district: 'A', registered: 100, registeredOn: '2021-01-15', firstDoses: 12 },
			{ district: 'B', registered: null, registeredOn: null, firstDoses: 4 },
			{ district: 'C', registered: null, registeredOn: null, firstDoses: 0 }
		]);
	});

	it('adds the districts up by vaccine and dose number', () => {
		expect(byVaccine(doses)).toEqual([
			{ vaccine: 'COVAXIN', dose: 1, doses: 5 },
			{ vaccine: 'COVISHIELD', dose: 0, doses: 1 },
			{ vaccine: 'COVISHIELD', dose: 1, doses: 11 },
			{ vaccine: 'COVISHIELD', dose: 2, doses: 3 }
		]);
	});
});
