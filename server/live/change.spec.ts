import { describe, expect, it } from 'vitest';
import { applyChange, ChangeBuilder, type LiveChange } from './change';
import { loadedLive, now } from '../../tests/support/live-load';
import { LiveState } from './state';

function freshLive(): LiveState {
	const live = loadedLive();
	live.takeChanges();
	return live;
}

/** A change as it crosses to another node: through JSON. */
const overTheWire = (c: LiveChange | null): LiveChange => JSON.parse(JSON.stringify(c));

describe('ChangeBuilder and applyChange', () => {
	it('sums dose moves per site and minute, keeps the latest dose, and applies them', () => {
		const at = Date.parse('2021-01-16T05:20:10Z');
		const change = new ChangeBuilder()
			.dose('P1', at, 1)
			.lastDoseAt('P1', at)
			.dose('P1', at + 30_000, 1) // same minute
			.lastDoseAt('P1', at + 30_000)
			.dose('P1', at + 60_000, 1)
			.dose('N1', at, -1) // a withdrawal
			.take();
		expect(change?.doses?.P1).toEqual([Math.floor(at / 60_000), 2, Math.floor(at / 60_000) + 1, 1]);
		expect(change?.lastDose).toEqual({ P1: at + 30_000 });

		const live = freshLive();
		applyChange(live, overTheWire(change), now);
		live.refresh(now);
		expect(live.siteView('P1')).toMatchObject({
			dosesToday: 3,
			lastDoseAt: new Date(at + 30_000).toISOString()
		});
		expect(live.districtView('521')).toMatchObject({ dosesToday: 3, dosesLastHour: 3 });
		expect(live.districtView('505')!.dosesToday).toBe(-1);
	});

	it('adds up changes from several nodes in any order to the same picture', () => {
		const at = Date.parse('2021-01-16T05:10:00Z');
		const a = new ChangeBuilder()
			.dose('P1', at, 2)
			.lastDoseAt('P1', at)
			.heartbeat('P1', at)
			.smsMove('N1', at, 3, 1)
			.take();
		const b = new ChangeBuilder()
			.dose('P1', at + 120_000, 1)
			.lastDoseAt('P1', at + 120_000)
			.heartbeat('P1', at - 60_000)
			.smsMove('N1', at, 0, 1)
			.take();
		const one = freshLive();
		applyChange(one, overTheWire(a), now);
		applyChange(one, overTheWire(b), now);
		const two = freshLive();
		applyChange(two, overTheWire(b), now);
		applyChange(two, overTheWire(a), now);
		const coalesced = freshLive();
		applyChange(coalesced, new ChangeBuilder().add(a!).add(b!).take()!, now);
		for (const live of [one, two, coalesced]) {
			live.refresh(now);
			expect(live.siteView('P1')).toMatchObject({
				dosesToday: 3,
				lastDoseAt: new Date(at + 120_000).toISOString(),
				lastHeartbeatAt: new Date(at).toISOString()
			});
			expect(live.districtView('505')).toMatchObject({ smsSent: 3, smsFailed: 2 });
		}
	});

	it('creates a site before counting its doses, and keeps newer health over older', () => {
		const at = Date.parse('2021-01-16T05:25:00Z');
		const change = new ChangeBuilder()
			.dose('P9', at, 1)
			.site({ code: 'P9', name: 'New site', districtCode: '521', lat: 18.5, lon: 73.8 })
			.healthOf({
				target: 'sms-gateway',
				status: 'up',
				latencyMs: 80,
				at: '2021-01-16T05:25:00.000Z'
			})
			.healthOf({
				target: 'sms-gateway',
				status: 'down',
				latencyMs: null,
				at: '2021-01-16T05:20:00.000Z'
			})
			.take();
		expect(change?.health).toHaveLength(1);
		const live = freshLive();
		live.setHealth({
			target: 'sms-gateway',
			status: 'degraded',
			latencyMs: 3000,
			at: '2021-01-16T05:29:00.000Z'
		});
		applyChange(live, overTheWire(change), now);
		expect(live.siteView('P9')).toMatchObject({ name: 'New site', dosesToday: 1 });
		expect(live.healthView('sms-gateway')!.status).toBe('degraded');
	});

	it('ends with an alert closed when it was opened and then closed in one window', () => {
		const alert = {
			id: 'a1',
			kind: 'site_stalled',
			status: 'open' as const,
			openedAt: now.toISOString(),
			siteCode: 'P1',
			districtCode: '521',
			summary: 'P1 stalled'
		};
		const change = new ChangeBuilder().alert(alert).alertClosed('a1').take();
		expect(change).toEqual({ alertsClosed: ['a1'] });
		const live = freshLive();
		live.upsertAlert(alert);
		applyChange(live, overTheWire(change), now);
		expect(live.alertView('a1')).toBeUndefined();
	});

	it('takes nothing when nothing was added, and starts over after a take', () => {
		const builder = new ChangeBuilder();
		expect(builder.take()).toBeNull();
		builder.mode('P1', 'manual');
		expect(builder.take()).toEqual({ modes: { P1: 'manual' } });
		expect(builder.take()).toBeNull();
	});
});
