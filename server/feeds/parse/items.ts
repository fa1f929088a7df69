/** Walking a batch: each item is read alone, so one bad item never costs the others. */
import type { z } from 'zod';
import { describeIssues } from './fields';
import { BodyError, type Parsed } from './types';

export type ItemResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): ItemResult<T> {
	return { ok: true, value };
}

export function fail<T>(error: string): ItemResult<T> {
	return { ok: false, error };
}

/** Run a schema on one item; its issues become the item's error. */
export function check<T>(schema: z.ZodType<T>, raw: unknown): ItemResult<T> {
	const r = schema.safeParse(raw);
	return r.success ? ok(r.data) : fail(describeIssues(r.error));
}

export function emptyParsed<T>(): Parsed<T> {
	return { items: [], rejected: [] };
}

/** Record one item's outcome under `index`. */
export function add<T>(out: Parsed<T>, index: number, result: ItemResult<T>, raw: unknown): void {
	if (result.ok) out.items.push({ index, value: result.value, raw });
	else out.rejected.push({ index, error: result.error, raw });
}

export function requireArray(body: unknown, what: string): unknown[] {
	if (Array.isArray(body)) return body;
	throw new BodyError(`expected a JSON array of ${what}`);
}

/** Read every element of an array with `read`, keeping the good and rejecting the bad. */
export function eachItem<T>(items: unknown[], read: (raw: unknown) => ItemResult<T>): Parsed<T> {
	const out = emptyParsed<T>();
	items.forEach((raw, index) => add(out, index, read(raw), raw));
	return out;
}

/** The common case: a JSON array whose elements all follow one schema. */
export function parseArray<T>(body: unknown, what: string, schema: z.ZodType<T>): Parsed<T> {
	return eachItem(requireArray(body, what), (raw) => check(schema, raw));
}
