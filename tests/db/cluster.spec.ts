import { beforeAll, expect, it } from 'vitest';
import { districts } from '../../src/lib/server/db/schema';
import { countDoses } from '../../src/lib/server/db/queries/dose';
import type { DoseRecord } from '../../src/lib/shared/feeds';
import { localDate } from '../../src/lib/shared/time';
import { ChangeListener, RELOAD_CHANNEL } from '../../server/cluster/changes';
import { requestReload } from '../../src/lib/server/db/queries/cluster';
import { AdvisoryLeader, SoleLeader, type Leader } from '../../server/cluster/leader';
import { Ingest, type FeedRequest } from '../../server/feeds/ingest';
import { applyChange, type LiveChange } from '../../server/live/change';
import { readLiveState } from '../../server/live/load';
import { LiveState } from '../../server/live/state';
import { LiveSync } from '../../server/live/sync';
import { createLogger } from '../../server/log';
import { until } from '../integration/server';
import { forEachDatabase } from './databases';

const TZ = 'Asia/Kolkata';
const log = createLogger('silent');

function newLive() {
	return new LiveState({
		timeZone: TZ,
		thresholds: { stallMinutes: 15, startupGraceMinutes: 30 },
		simulated: false
	});
}

let n = 0;
function doses(count: number, siteCode = 'S1'): FeedRequest<'doses'> {
	const items = Array.from({ length: count }, (_, i) => {
		const id = `c-${n++}`;
		const value: DoseRecord = {
			id,
			siteCode,
			occurredAt: new Date(),
			vaccine: 'COVISHIELD',
			dose: 1,
			beneficiaryRef: `B-${id}`,
			vaccinatorRef: null,
			sessionId: null,
			source: 'live',
			status: 'completed'
		};
		return { index: i, value, raw: {} };
	});
	return { parsed: { items, rejected: [] }, form: 'doses', quarantine: true };
}

const sessionFor = (siteCode: string): FeedRequest<'sessions'> => {
	const date = localDate(new Date(), TZ);
	return {
		parsed: {
			items: [
				{
					index: 0,
					raw: {},
					value: {
						sessionId: `S-${siteCode}`,
						siteCode,
						date,
						capacity: 100,
						vaccine: null,
						startsAt: null,
						endsAt: null,
						site: { name: siteCode, districtCode: '521' }
					}
				}
			],
			rejected: []
		},
		form: 'sessions',
		quarantine: true
	};
};

forEachDatabase('several nodes on one database', (db, kind, url) => {
	beforeAll(async () => {
		await db().db.insert(districts).values({ code: '521', name: 'Pune', state: 'Maharashtra' });
		const live = newLive();
		live.load((await readLiveState(db(), live, new Date())).load, new Date());
		const ingest = new Ingest({ handle: db(), live });
		await ingest.submit('sessions', sessionFor('S1'));
	});

	it('counts a change once whether it committed before or after a rebuild read the database', async () => {
		const live = newLive();
		const sync: LiveSync = new LiveSync({
			live,
			log,
			read: async (now) => {
				const read = await readLiveState(db(), live, now);
				// Committed after the snapshot, and made live while the rebuild is still going.
				await ingest.submit('doses', doses(3));
				return read;
			}
		});
		const held: { change: LiveChange; tx: string }[] = [];
		let holdNext = false;
		const ingest = new Ingest({
			handle: db(),
			live,
			publish: (change, tx) => (holdNext ? held.push({ change, tx }) : sync.apply(change, tx))
		});
		await sync.reload();
		// Committed before the next rebuild's snapshot, made live only after it: already counted.
		holdNext = true;
		await ingest.submit('doses', doses(5));
		holdNext = false;
		await sync.reload();
		for (const h of held) sync.apply(h.change, h.tx);
		expect(live.totals(null).dosesToday).toBe(await countDoses(db().db));
		expect(live.totals(null).dosesToday).toBeGreaterThanOrEqual(11);
	});

	if (kind === 'pglite') {
		it('always leads on the embedded database', async () => {
			const leader = new SoleLeader(log);
			const started: string[] = [];
			leader.whileLeader('task', () => {
				started.push('task');
				return () => void started.push('stopped');
			});
			leader.start();
			await until(() => started.length === 1);
			expect(leader.isLeader).toBe(true);
			await leader.close();
			expect(started).toEqual(['task', 'stopped']);
		});
		return;
	}

	it('elects one leader, and hands over when it goes', async () => {
		const running = new Set<string>();
		const make = (name: string): Leader => {
			const leader = new AdvisoryLeader(url()!, log, 100);
			leader.whileLeader('detectors', () => {
				running.add(name);
				return () => void running.delete(name);
			});
			leader.start();
			return leader;
		};
		const a = make('a');
		await until(() => a.isLeader);
		const b = make('b');
		await new Promise((r) => setTimeout(r, 400));
		expect(b.isLeader).toBe(false);
		expect([...running]).toEqual(['a']);
		await a.close();
		await until(() => b.isLeader, 5000);
		expect([...running]).toEqual(['b']);
		await b.close();
		expect(running.size).toBe(0);
	});

	it("applies another node's committed changes, and never its own twice", async () => {
		const mine = newLive();
		const theirs = newLive();
		const now = new Date();
		const [a, b] = await Promise.all([
			readLiveState(db(), mine, now),
			readLiveState(db(), theirs, now)
		]);
		mine.load(a.load, now);
		theirs.load(b.load, now);
		const heard: string[] = [];
		const listener = (node: string, live: LiveState) =>
			new ChangeListener({
				url: url()!,
				node,
				log,
				onChange: (_tx, change) => {
					heard.push(node);
					applyChange(live, change);
				},
				onReloadRequest: () => {},
				onListen: () => {}
			});
		const mineListening = listener('node-a', mine);
		const theirsListening = listener('node-b', theirs);
		await Promise.all([mineListening.start(), theirsListening.start()]);
		const before = theirs.totals(null).dosesToday;
		const ingest = new Ingest({ handle: db(), live: mine, node: 'node-a' });
		await ingest.submit('doses', doses(7));
		await until(() => theirs.totals(null).dosesToday === before + 7);
		expect(mine.totals(null).dosesToday).toBe(theirs.totals(null).dosesToday);
		expect(heard).toEqual(['node-b']);
		await Promise.all([mineListening.close(), theirsListening.close()]);
	});

	it('hears a request to reload, sent by a process beside the nodes', async () => {
		const reasons: string[] = [];
		const listener = new ChangeListener({
			url: url()!,
			node: 'node-a',
			log,
			onChange: () => {},
			onReloadRequest: (reason) => reasons.push(reason),
			onListen: () => {}
		});
		await listener.start();
		await requestReload(db().db, RELOAD_CHANNEL, 'admin: load-demo');
		await until(() => reasons.length > 0);
		expect(reasons).toEqual(['admin: load-demo']);
		await listener.close();
	});
});
