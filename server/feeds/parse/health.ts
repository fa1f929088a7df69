import { z } from 'zod';
import type { HealthSampleRecord } from '../../../src/lib/shared/feeds';
import { MAX_TEXT, expected, item, optionalText, text, timestamp } from './fields';
import { parseArray } from './items';
import type { ParseOptions, Parsed } from './types';

const healthSample: z.ZodType<HealthSampleRecord> = item({
	target: text(),
	at: timestamp,
	ok: z.boolean({ error: expected('true or false') }),
	// Milliseconds; fractions allowed, probes often report 12.7.
	latencyMs: z
		.number({ error: expected('a number of milliseconds') })
		.refine((n) => Number.isFinite(n) && n >= 0, { error: expected('a non-negative number') })
		.nullish()
		.transform((v) => v ?? null),
	detail: optionalText(MAX_TEXT)
});

export function parseHealthSamples(body: unknown, _opts: ParseOptions): Parsed<HealthSampleRecord> {
	return parseArray(body, 'HealthSample', healthSample);
}
