import { describe, expect, it } from 'vitest';
import { ChangeBuilder } from '../live/change';
import { changePayloads, readPayload } from './changes';

function bigChange() {
	const b = new ChangeBuilder();
	const minute = 60_000;
	const t0 = Date.parse('2021-01-16T04:00:00Z');
	for (let s = 0; s < 800; s++) {
		const site = `SITE-${s}`;
		for (let m = 0; m < (s === 7 ? 1400 : 3); m++) b.dose(site, t0 + m * minute, 1 + (m % 3));
		b.lastDoseAt(site, t0 + s).heartbeat(site, t0 + s);
	}
	b.smsMove('SITE-1', t0, 4, 1).mode('SITE-2', 'manual').alertClosed('a-1');
	return b.take()!;
}

describe('changes between nodes', () => {
	it('splits a big change into payloads under the limit that add up to the whole', () => {
		const change = bigChange();
		const payloads = changePayloads('node-a', change);
		expect(payloads.length).toBeGreaterThan(5);
		const whole = new ChangeBuilder();
		for (const p of payloads) {
			expect(Buffer.byteLength(p)).toBeLessThanOrEqual(7900);
			const read = readPayload(`42 ${p}`);
			expect(read?.node).toBe('node-a');
			whole.add(read!.change);
		}
		expect(whole.take()).toEqual(new ChangeBuilder().add(change).take());
	});

	it('keeps a small change in one payload and reads it back with its transaction id', () => {
		const change = new ChangeBuilder().dose('P1', Date.parse('2021-01-16T04:00:00Z'), 1).take()!;
		const [payload, ...rest] = changePayloads('node-a', change);
		expect(rest).toEqual([]);
		// PostgreSQL prefixes the transaction id (announceChange).
		expect(readPayload(`1234 ${payload}`)).toEqual({ tx: '1234', node: 'node-a', change });
		expect(readPayload('not ours')).toBeNull();
	});

	it('makes every payload fit in a NOTIFY with its transaction id', () => {
		for (const payload of changePayloads('a-rather-long-node-name:12345:abcdef', bigChange())) {
			expect(Buffer.byteLength(`18446744073709551615 ${payload}`)).toBeLessThan(8000);
		}
	});
});
