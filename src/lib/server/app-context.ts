/**
 * What SvelteKit pages need from the running server: the database handle and the parsed
 * config, both found in the process registry (the server registers them at start-up).
 */
import { error } from '@sveltejs/kit';
import { loadConfig, type Config } from './config';
import type { Db, DbHandle } from './db/client';
import { lookup } from './registry';

/** The database, or a 503 page while the server is still starting. */
export function database(): Db {
	const handle = lookup<DbHandle>('db');
	if (!handle) error(503, 'The command centre is starting; try again in a moment.');
	return handle.db;
}

let parsed: Config | undefined;

export function appConfig(): Config {
	return lookup<{ config: Config }>('services')?.config ?? (parsed ??= loadConfig());
}

/** The state's time zone (APP_TIMEZONE): days and times on every page are in it. */
export function appTimeZone(): string {
	return appConfig().APP_TIMEZONE;
}
