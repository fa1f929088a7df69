/**
 * The health pages' forms, parsed and checked here so that a bad value gets its own clear
 * message next to its field and nothing the officer typed is lost.
 */
import { z } from 'zod';
import type { ProbeTargetInput } from '../db/queries/health';
import { noticeOverrides, probeMethods } from '../db/schema';

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const int = (label: string, min: number, max: number) =>
	z.coerce
		.number({ error: `${label}: a whole number` })
		.int(`${label}: a whole number`)
		.min(min, `${label}: at least ${min}`)
		.max(max, `${label}: at most ${max}`);

const probeSchema = z.object({
	id: z.union([z.uuid(), z.literal('')]).optional(),
	target: text(64)
		.min(1, 'a name is needed')
		.regex(
			/^[a-z0-9][a-z0-9._-]*$/,
			'lower-case letters, digits, dots, dashes (e.g. national-server)'
		),
	url: text(500)
		.min(1, 'a URL is needed')
		.refine((u) => {
			if (u.startsWith('/')) return !u.startsWith('//');
			try {
				const url = new URL(u);
				return url.protocol === 'http:' || url.protocol === 'https:';
			} catch {
				return false; // not a URL at all: the message below says what is wanted
			}
		}, 'an http:// or https:// address, or a path on this server such as /healthz'),
	method: z.enum(probeMethods, { error: 'GET or HEAD' }),
	expectStatus: int('expected status', 100, 599),
	expectBody: text(200),
	timeoutMs: int('timeout', 100, 60_000),
	intervalSeconds: int('interval', 5, 3600),
	enabled: z.string().optional()
});

export type FieldErrors = Record<string, string>;

function fieldErrors(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? 'form');
		out[key] ??= issue.message;
	}
	return out;
}

/** The form's fields as typed (to show them again after an error). */
export function formValues(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of form) if (typeof v === 'string') out[k] = v;
	return out;
}

export function parseProbeForm(
	form: FormData
): { ok: true; value: ProbeTargetInput & { id?: string } } | { ok: false; errors: FieldErrors } {
	const parsed = probeSchema.safeParse(formValues(form));
	if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
	const v = parsed.data;
	if (v.timeoutMs > v.intervalSeconds * 1000)
		return { ok: false, errors: { timeoutMs: 'timeout: no longer than the interval' } };
	return {
		ok: true,
		value: {
			...(v.id ? { id: v.id } : {}),
			target: v.target,
			url: v.url,
			method: v.method,
			expectStatus: v.expectStatus,
			expectBody: v.expectBody === '' || v.method === 'HEAD' ? null : v.expectBody,
			timeoutMs: v.timeoutMs,
			intervalSeconds: v.intervalSeconds,
			enabled: v.enabled === 'on' || v.enabled === 'true'
		}
	};
}

const noticeSchema = z.object({
	component: text(64).min(1, 'which component?'),
	instruction: text(1000).min(1, 'say what sites should do while it is down'),
	message: text(500),
	override: z.union([z.enum(noticeOverrides), z.literal('')], {
		error: 'measured, up, degraded or down'
	}),
	targets: text(500).optional()
});

export interface NoticeInput {
	component: string;
	instruction: string;
	message: string | null;
	override: (typeof noticeOverrides)[number] | null;
	/** Absent: the targets stay as they are. */
	targets?: string[];
}

export function parseNoticeForm(
	form: FormData
): { ok: true; value: NoticeInput } | { ok: false; errors: FieldErrors } {
	const parsed = noticeSchema.safeParse(formValues(form));
	if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
	const v = parsed.data;
	const targets =
		v.targets === undefined
			? undefined
			: v.targets
					.split(/[\s,]+/)
					.map((t) => t.trim())
					.filter(Boolean);
	if (targets?.some((t) => !/^[a-z0-9][a-z0-9._-]*$/i.test(t)))
		return { ok: false, errors: { targets: 'health target names separated by commas' } };
	return {
		ok: true,
		value: {
			component: v.component,
			instruction: v.instruction,
			message: v.message === '' ? null : v.message,
			override: v.override === '' ? null : v.override,
			...(targets ? { targets } : {})
		}
	};
}
