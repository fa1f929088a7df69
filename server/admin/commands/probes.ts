/**
 * The built-in health probes from the command line, for setting them up before launch day
 * without a browser: the same checks as the Health › Manage probes form, the same audit
 * entries. A running monitor picks a change up within 30 s (at once when the server runs
 * the command itself).
 */
import type { Db } from '../../../src/lib/server/db/client';
import { appendAudit } from '../../../src/lib/server/db/queries/audit';
import {
	deleteProbeTarget,
	listProbeTargets,
	saveProbeTarget,
	type ProbeTargetRow
} from '../../../src/lib/server/db/queries/health';
import { parseProbeForm } from '../../../src/lib/server/health/forms';

export interface ProbeOptions {
	target?: string;
	url?: string;
	method?: string;
	'expect-status'?: string;
	'expect-body'?: string;
	'timeout-ms'?: string;
	'interval-seconds'?: string;
	disabled?: boolean;
}

export async function listProbesCommand(db: Db): Promise<string> {
	const rows = await listProbeTargets(db);
	if (rows.length === 0) return 'no probes';
	return rows.map(describe).join('\n');
}

/**
 * `set-probe`: adds the probe, or changes the one recorded under that target name; options
 * not given keep their current value (or the form's default for a new probe).
 */
export async function setProbeCommand(db: Db, options: ProbeOptions): Promise<string> {
	const existing = (await listProbeTargets(db)).find((p) => p.target === options.target);
	const form = new FormData();
	const field = (name: string, given: string | undefined, current: string | undefined) =>
		form.set(name, given ?? current ?? '');
	if (existing) form.set('id', existing.id);
	field('target', options.target, undefined);
	field('url', options.url, existing?.url);
	field('method', options.method?.toUpperCase(), existing?.method ?? 'GET');
	field('expectStatus', options['expect-status'], String(existing?.expectStatus ?? 200));
	field('expectBody', options['expect-body'], existing?.expectBody ?? '');
	field('timeoutMs', options['timeout-ms'], String(existing?.timeoutMs ?? 5000));
	field('intervalSeconds', options['interval-seconds'], String(existing?.intervalSeconds ?? 30));
	form.set('enabled', options.disabled ? 'false' : 'true');

	const parsed = parseProbeForm(form);
	if (!parsed.ok) {
		const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
		throw new Error(
			Object.entries(parsed.errors)
				.map(([key, message]) => `${flag(key)}: ${message}`)
				.join('\n')
		);
	}
	const row = await saveProbeTarget(db, parsed.value, 'admin-cli');
	if (!row) throw new Error(`the probe ${options.target} was removed meanwhile; try again`);
	await appendAudit(db, {
		actor: 'admin-cli',
		action: existing ? 'probe.update' : 'probe.create',
		target: row.target,
		detail: { ...parsed.value }
	});
	return `${existing ? 'changed' : 'added'} probe ${describe(row)}`;
}

export async function removeProbeCommand(db: Db, options: { target?: string }): Promise<string> {
	if (!options.target) throw new Error('needs --target (see list-probes)');
	const existing = (await listProbeTargets(db)).find((p) => p.target === options.target);
	const row = existing && (await deleteProbeTarget(db, existing.id));
	if (!row) throw new Error(`no probe records as ${options.target} (see list-probes)`);
	await appendAudit(db, { actor: 'admin-cli', action: 'probe.delete', target: row.target });
	return `removed probe ${row.target}; its samples and incidents are kept`;
}

function describe(p: ProbeTargetRow): string {
	const expect = `expects ${p.expectStatus}${p.expectBody ? ` and "${p.expectBody}"` : ''}`;
	return (
		`${p.target}  ${p.method} ${p.url}  ${expect}  every ${p.intervalSeconds} s, ` +
		`timeout ${p.timeoutMs} ms${p.enabled ? '' : '  DISABLED'}`
	);
}
