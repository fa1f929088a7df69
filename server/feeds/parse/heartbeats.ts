import type { z } from 'zod';
import type { HeartbeatRecord } from '../../../src/lib/shared/feeds';
import { integer, item, optionalText, text, timestamp } from './fields';
import { parseArray } from './items';
import type { ParseOptions, Parsed } from './types';

const heartbeat: z.ZodType<HeartbeatRecord> = item({
	siteCode: text(),
	at: timestamp,
	// '' rather than null: a site with one unnamed device still has one device.
	device: optionalText().transform((v) => v ?? ''),
	pendingUploads: integer(0, 10_000_000)
		.nullish()
		.transform((v) => v ?? null)
});

export function parseHeartbeats(body: unknown, _opts: ParseOptions): Parsed<HeartbeatRecord> {
	return parseArray(body, 'Heartbeat', heartbeat);
}
