import { beforeAll, describe, expect, it } from 'vitest';
import {
	appendAudit,
	auditActions,
	auditBatch,
	countAudit,
	searchAudit,
	type AuditCursor,
	type AuditEntry
} from '../../src/lib/server/db/queries/audit';
import { forEachDatabase } from './databases';

const t0 = new Date('2025-01-16T04:30:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

forEachDatabase('audit log', (handle) => {
	const db = () => handle().db;

	beforeAll(async () => {
		await appendAudit(db(), {
			actor: 'state.officer',
			action: 'site.mode',
			target: 'P1',
			at: at(0)
		});
		await appendAudit(db(), {
			actor: 'pune.officer',
			action: 'site.mode',
			target: 'P2',
			at: at(10)
		});
		await appendAudit(db(), { actor: 'pune.officer', action: 'calllist.download', at: at(20) });
		await appendAudit(db(), { actor: 'token:gateway', action: 'site.backfill', at: at(30) });
		// Two at the same instant: the id breaks the tie.
		await appendAudit(db(), { actor: 'admin', action: 'user.create', target: 'a', at: at(40) });
		await appendAudit(db(), { actor: 'admin', action: 'user.create', target: 'b', at: at(40) });
		await appendAudit(db(), {
			actor: 'odd_name%',
			action: 'auth.sign_in',
			detail: { reason: 'x' },
			ip: '10.0.0.9',
			at: at(50)
		});
	});

	it('lists newest first and pages with offset', async () => {
		const first = await searchAudit(db(), { filter: {}, limit: 3, offset: 0 });
		expect(first.map((e) => e.action)).toEqual(['auth.sign_in', 'user.create', 'user.create']);
		expect(first[1].target).toBe('b');
		const second = await searchAudit(db(), { filter: {}, limit: 3, offset: 3 });
		expect(second.map((e) => e.action)).toEqual([
			'site.backfill',
			'calllist.download',
			'site.mode'
		]);
		expect(await countAudit(db(), {})).toBe(7);
	});

	it('filters by action, by part of the actor in any case, and by time', async () => {
		expect(await countAudit(db(), { action: 'site.mode' })).toBe(2);
		expect(await countAudit(db(), { actor: 'PUNE' })).toBe(2);
		expect(await countAudit(db(), { actor: 'pune', action: 'site.mode' })).toBe(1);
		expect(await countAudit(db(), { from: at(10), to: at(30) })).toBe(2);
		expect(await countAudit(db(), { from: at(40) })).toBe(3);
	});

	it('takes the actor filter literally (% and _ are not wildcards)', async () => {
		expect(await countAudit(db(), { actor: '%' })).toBe(1);
		expect(await countAudit(db(), { actor: '_' })).toBe(1);
		expect(await countAudit(db(), { actor: 'd_n' })).toBe(1);
		// As a wildcard, a_m would match "admin".
		expect(await countAudit(db(), { actor: 'a_m' })).toBe(0);
	});

	it('lists the actions recorded', async () => {
		expect(await auditActions(db())).toEqual([
			'auth.sign_in',
			'calllist.download',
			'site.backfill',
			'site.mode',
			'user.create'
		]);
	});

	it('exports in batches that neither skip nor repeat, ties and microseconds included', async () => {
		// Times with microseconds, which a JavaScript Date cannot hold.
		for (let i = 0; i < 5; i++) {
			await handle().rows(
				(await import('drizzle-orm')).sql`insert into audit_log (at, actor, action)
					values (${'2025-01-16T06:00:00.000' + (100 + i) + 'Z'}::timestamptz, 'micro', 'test.micro')`
			);
		}
		const seen: AuditEntry[] = [];
		let after: AuditCursor | undefined;
		for (let guard = 0; guard < 20; guard++) {
			const { entries, next } = await auditBatch(db(), { filter: {}, after, limit: 2 });
			seen.push(...entries);
			if (!next) break;
			after = next;
		}
		const all = await searchAudit(db(), { filter: {}, limit: 100, offset: 0 });
		expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
		expect(new Set(seen.map((e) => e.id)).size).toBe(12);
	});

	it('applies the filter to export batches', async () => {
		const { entries, next } = await auditBatch(db(), {
			filter: { action: 'site.mode' },
			limit: 10
		});
		expect(entries.map((e) => e.target)).toEqual(['P2', 'P1']);
		expect(next).toBeNull();
	});
});

describe('audit module', () => {
	it('offers no way to change or delete an entry', async () => {
		const audit = await import('../../src/lib/server/db/queries/audit');
		const names = Object.keys(audit);
		expect(names.filter((n) => /update|delete|remove|edit|purge/i.test(n))).toEqual([]);
	});
});
