import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import type { DbHandle } from '../../src/lib/server/db/client';
import { archiveCommand } from './commands/archive';
import { createUserCommand } from './commands/create-user';
import { importBoundariesCommand } from './commands/import-boundaries';
import { revokeSessionsCommand } from './commands/revoke-sessions';
import { listProbesCommand, removeProbeCommand, setProbeCommand } from './commands/probes';
import { listQuarantineCommand, replayQuarantine } from './commands/quarantine';
import { importTargetsCommand, rebuildReviewRollupsCommand } from './commands/targets';
import { createTokenCommand, listTokensCommand, revokeTokenCommand } from './commands/tokens';
import type { Ingest } from '../feeds/ingest';

/** What a command may use: the database, and the running feed path for replays and seeding. */
export interface AdminContext {
	handle: DbHandle;
	ingest: Ingest;
	timeZone: string;
	/** Load the demo state (without the simulator). */
	loadDemo(): Promise<string>;
	/**
	 * The live picture's data changed outside the feeds: the running server(s) must read it
	 * again. Inside a server it reloads; beside servers on PostgreSQL it asks them all.
	 */
	dataChanged?(reason: string): Promise<void>;
	/** Inside a running server: disconnect live sockets of what was just revoked, at once. */
	credentialsRevoked?(): Promise<void>;
	/** Inside a running server: the health monitor reads its probes again at once. */
	probesChanged?(): void;
}

export const usage = `Usage: npm run admin -- <command> [options]

  create-token --name NAME --scope ingest[,read]   prints the new token alone on the last line
  list-tokens
  revoke-token --id ID
  create-user --username NAME --role ROLE [--district CODE]… [--display-name TEXT]
                                                   reads the password from stdin
  revoke-sessions --username NAME                  signs a person out everywhere
  list-quarantine [--feed FEED] [--limit N]
  replay-quarantine [--feed FEED]                  sends quarantined items through their feed again
  list-probes
  set-probe --target NAME [--url URL] [--method GET|HEAD] [--expect-status N] [--expect-body TEXT]
            [--timeout-ms N] [--interval-seconds N] [--disabled]
                                                   adds or changes a built-in health probe
  remove-probe --target NAME
  load-demo                                        loads the demo state (Maharashtra) without the simulator
  import-boundaries FILE.geojson [--name-property P] [--code-property C] [--tolerance DEG] [--dry-run]
                                                   official district boundaries replace the approximate ones
  import-targets FILE.csv                          district targets and registered counts (district,date,target,registered)
  rebuild-review-rollups                           rebuilds the review's day rollups from the raw rows
  archive --before YYYY-MM-DD --dir PATH [--messages]
                                                   moves raw SMS reports and heartbeats (and messages) from
                                                   before the date to gzip NDJSON files in PATH

Roles: admin, state_officer, district_officer, secretary, helpdesk.`;

export class UsageError extends Error {}

/** Run one admin command; returns what to print. Bad arguments throw a UsageError that says which. */
export async function runAdmin(ctx: AdminContext, argv: string[], stdin: string): Promise<string> {
	try {
		return await dispatch(ctx, argv, stdin);
	} catch (error) {
		if (error instanceof ZodError) {
			throw new UsageError(
				error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n')
			);
		}
		if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
			throw new UsageError(`${(error as Error).message}\n\n${usage}`);
		}
		throw error;
	}
}

async function dispatch(ctx: AdminContext, argv: string[], stdin: string): Promise<string> {
	const [command, ...rest] = argv;
	if (command === 'import-boundaries') return importBoundariesCommand(ctx.handle, rest, stdin);
	if (command === 'import-targets') {
		// The CLI reads FILE and sends its text as stdin (a running server may not see the file).
		if (rest.length !== 1) throw new UsageError(`import-targets takes one FILE.csv\n\n${usage}`);
		const outcome = await importTargetsCommand(ctx.handle.db, { csv: stdin, file: rest[0] });
		if (!outcome.ok) throw new UsageError(`nothing imported:\n${outcome.errors.join('\n')}`);
		return outcome.message;
	}
	const { values } = parseArgs({
		args: rest,
		strict: true,
		options: {
			name: { type: 'string' },
			scope: { type: 'string' },
			id: { type: 'string' },
			username: { type: 'string' },
			role: { type: 'string' },
			district: { type: 'string', multiple: true },
			'display-name': { type: 'string' },
			feed: { type: 'string' },
			limit: { type: 'string' },
			before: { type: 'string' },
			dir: { type: 'string' },
			messages: { type: 'boolean' },
			target: { type: 'string' },
			url: { type: 'string' },
			method: { type: 'string' },
			'expect-status': { type: 'string' },
			'expect-body': { type: 'string' },
			'timeout-ms': { type: 'string' },
			'interval-seconds': { type: 'string' },
			disabled: { type: 'boolean' }
		}
	});
	const db = ctx.handle.db;
	switch (command) {
		case 'create-token':
			return createTokenCommand(db, values);
		case 'list-tokens':
			return listTokensCommand(db);
		case 'revoke-token': {
			const message = await revokeTokenCommand(db, values);
			await ctx.credentialsRevoked?.();
			return message;
		}
		case 'create-user':
			return createUserCommand(db, {
				username: values.username ?? '',
				role: values.role ?? '',
				districts: values.district ?? [],
				password: stdin.replace(/\r?\n$/, ''),
				displayName: values['display-name']
			});
		case 'revoke-sessions': {
			const message = await revokeSessionsCommand(db, { username: values.username ?? '' });
			await ctx.credentialsRevoked?.();
			return message;
		}
		case 'list-quarantine':
			return listQuarantineCommand(ctx.handle, {
				feed: values.feed,
				limit: Number(values.limit ?? 50)
			});
		case 'replay-quarantine': {
			const r = await replayQuarantine(ctx.handle, ctx.ingest, {
				feed: values.feed,
				timeZone: ctx.timeZone
			});
			if (r.replayed > 0) await ctx.dataChanged?.('admin: replay-quarantine');
			return `replayed ${r.replayed}; still rejected ${r.stillRejected}`;
		}
		case 'list-probes':
			return listProbesCommand(db);
		case 'set-probe': {
			const message = await setProbeCommand(db, values);
			ctx.probesChanged?.();
			return message;
		}
		case 'remove-probe': {
			const message = await removeProbeCommand(db, values);
			ctx.probesChanged?.();
			return message;
		}
		case 'load-demo': {
			const message = await ctx.loadDemo();
			await ctx.dataChanged?.('admin: load-demo');
			return message;
		}
		case 'rebuild-review-rollups':
			return rebuildReviewRollupsCommand(ctx.handle.db, ctx.timeZone);
		case 'archive':
			return archiveCommand(ctx.handle, values, ctx.timeZone);
		default:
			throw new UsageError(command ? `unknown command: ${command}\n\n${usage}` : usage);
	}
}
