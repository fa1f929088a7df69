/**
 * One registry of live handles per process. The SvelteKit bundle and server/ load
 * separate copies of modules (and Vite may load them twice in dev), so handles are
 * kept on globalThis under a Symbol.for key that every copy resolves to the same slot.
 */
const KEY = Symbol.for('launch-day-command-centre.registry');

type Registry = Map<string, unknown>;

function registry(): Registry {
	const g = globalThis as unknown as Record<symbol, Registry | undefined>;
	return (g[KEY] ??= new Map());
}

export function register<T>(name: string, value: T): T {
	registry().set(name, value);
	return value;
}

export function lookup<T>(name: string): T | undefined {
	return registry().get(name) as T | undefined;
}

export function unregister(name: string): void {
	registry().delete(name);
}
