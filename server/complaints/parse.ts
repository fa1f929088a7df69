/**
 * Reading complaints sent to POST /api/v1/complaints (the intake form and other channels):
 * each item alone, so one bad item never costs the others.
 */
import { z } from 'zod';
import {
	complaintCategories,
	complaintChannels,
	complaintPriorities,
	normalisePhone,
	type ComplaintCategory,
	type ComplaintChannel,
	type ComplaintPriority
} from '../../src/lib/shared/complaint';
import { parseJsonBody } from '../feeds/parse';
import {
	expected,
	item,
	oneOf,
	optionalText,
	optionalTimestamp,
	shown
} from '../feeds/parse/fields';
import { eachItem, fail, ok, requireArray, type ItemResult } from '../feeds/parse/items';
import type { Parsed } from '../feeds/parse/types';
import { describeIssues } from '../feeds/parse/fields';

/** Longest note kept with a complaint. */
export const MAX_NOTES = 4000;
/** A complaint may be dated this far ahead of our clock (a sender's clock a little fast). */
const FUTURE_SLACK_MS = 5 * 60_000;

export interface ComplaintInput {
	/** The sender's id (its idempotency key), or null: one is generated. */
	id: string | null;
	/** When the complaint was made; null: now. */
	at: Date | null;
	channel: ComplaintChannel;
	category: ComplaintCategory;
	siteCode: string | null;
	districtCode: string | null;
	callerPhone: string | null;
	notes: string | null;
	/** As asked; aefi is made urgent whatever was asked. */
	priority: ComplaintPriority | null;
}

const phone = z
	.string({ error: expected('a phone number') })
	.nullish()
	.transform((v, ctx) => {
		if (v === null || v === undefined || v.trim() === '') return null;
		const n = normalisePhone(v);
		if (n) return n;
		ctx.addIssue({ code: 'custom', message: `must be a phone number, got ${shown(v)}` });
		return z.NEVER;
	});

const complaintItem = item({
	id: optionalText().refine((v) => v === null || !/[\s/?#]/.test(v), {
		error: 'must not contain spaces, "/", "?" or "#"'
	}),
	at: optionalTimestamp,
	channel: oneOf(complaintChannels),
	category: oneOf(complaintCategories),
	siteCode: optionalText(),
	districtCode: optionalText(),
	callerPhone: phone,
	notes: optionalText(MAX_NOTES),
	priority: oneOf(complaintPriorities)
		.nullish()
		.transform((v) => v ?? null)
});

function readComplaint(raw: unknown, nowMs: number): ItemResult<ComplaintInput> {
	const r = complaintItem.safeParse(raw);
	if (!r.success) return fail(describeIssues(r.error));
	const c = r.data;
	if (c.at && c.at.getTime() > nowMs + FUTURE_SLACK_MS) {
		return fail(`at: is in the future (${c.at.toISOString()})`);
	}
	return ok(c);
}

/**
 * A body of complaints: a JSON array, or a single complaint object (a form or a webhook
 * sends one at a time). A body that is not JSON at all throws a BodyError (400).
 */
export function parseComplaints(text: string, now: Date): Parsed<ComplaintInput> {
	const body = parseJsonBody(text);
	const items = Array.isArray(body)
		? body
		: requireArray(isObject(body) ? [body] : body, 'Complaint');
	return eachItem(items, (raw) => readComplaint(raw, now.getTime()));
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}
