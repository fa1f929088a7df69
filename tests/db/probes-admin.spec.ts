/**
 * The probe admin commands: what `npm run admin -- set-probe …` does to the table the
 * health monitor reads, with the same checks and audit entries as the Health page's form.
 */
import { expect, it, vi } from 'vitest';
import { runAdmin, type AdminContext } from '../../server/admin/run';
import { listAudit } from '../../src/lib/server/db/queries/audit';
import { listProbeTargets } from '../../src/lib/server/db/queries/health';
import { forEachDatabase } from './databases';

forEachDatabase('probe admin commands', (db) => {
	const probesChanged = vi.fn();
	const admin = (...argv: string[]) =>
		runAdmin(
			{
				handle: db(),
				timeZone: 'Asia/Kolkata',
				probesChanged
			} as unknown as AdminContext,
			argv,
			''
		);

	it('adds a probe with the form defaults, then changes only what is given', async () => {
		expect(await admin('list-probes')).toBe('no probes');
		expect(
			await admin(
				'set-probe',
				'--target',
				'national-server',
				'--url',
				'https://cowin.example/health'
			)
		).toBe(
			'added probe national-server  GET https://cowin.example/health  expects 200  every 30 s, timeout 5000 ms'
		);
		await admin(
			'set-probe',
			'--target',
			'national-server',
			'--interval-seconds',
			'10',
			'--disabled'
		);
		const [probe] = await listProbeTargets(db().db);
		expect(probe).toMatchObject({
			target: 'national-server',
			url: 'https://cowin.example/health',
			method: 'GET',
			intervalSeconds: 10,
			enabled: false,
			updatedBy: 'admin-cli'
		});
		expect(probesChanged).toHaveBeenCalledTimes(2);
		const audit = await listAudit(db().db, { limit: 5 });
		expect(audit.map((a) => a.action).slice(0, 2)).toEqual(['probe.update', 'probe.create']);
	});

	it('refuses a bad value with the flag it came from, and keeps the probe as it was', async () => {
		await expect(
			admin('set-probe', '--target', 'national-server', '--timeout-ms', '60000')
		).rejects.toThrow('--timeout-ms: timeout: no longer than the interval');
		await expect(admin('set-probe', '--target', 'otp', '--url', 'ftp://x')).rejects.toThrow(
			/^--url: an http:\/\/ or https:\/\/ address/
		);
		const probes = await listProbeTargets(db().db);
		expect(probes.map((p) => [p.target, p.timeoutMs])).toEqual([['national-server', 5000]]);
	});

	it('removes a probe by its target name, and says so when there is none', async () => {
		expect(await admin('remove-probe', '--target', 'national-server')).toMatch(
			/^removed probe national-server/
		);
		expect(await listProbeTargets(db().db)).toEqual([]);
		await expect(admin('remove-probe', '--target', 'national-server')).rejects.toThrow(
			'no probe records as national-server'
		);
	});
});
