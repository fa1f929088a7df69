/**
 * The help-desk pages' calls to the JSON API (docs/api.md), from the browser. The session
 * cookie goes with them, and the browser's Origin header passes the API's same-origin check.
 */
import type {
	ComplaintActionKind,
	ComplaintCategory,
	ComplaintChannel,
	ComplaintFilter,
	ComplaintPriority,
	ComplaintStatus,
	ComplaintView,
	SiteContextView
} from '$lib/shared/complaint';

/** A refusal from the API, with its own words. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
	let res: Response;
	try {
		res = await fetch(path, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		throw new ApiError(0, 'The server could not be reached. Nothing was lost: try again.');
	}
	const text = await res.text();
	let data: unknown = null;
	try {
		data = text ? JSON.parse(text) : null;
	} catch {
		// Not JSON (a proxy's error page): the status says enough.
	}
	if (!res.ok) {
		const message =
			(data as { error?: string } | null)?.error ?? `The server answered ${res.status}`;
		throw new ApiError(res.status, message);
	}
	return data as T;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A complaint id made in the browser, so sending the form twice files it once. */
export function newComplaintId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(8));
	return `C-${[...bytes].map((b) => CROCKFORD[b % 32]).join('')}`;
}

export interface NewComplaint {
	id: string;
	channel: ComplaintChannel;
	category: ComplaintCategory;
	siteCode: string | null;
	districtCode: string | null;
	callerPhone: string | null;
	notes: string | null;
	priority: ComplaintPriority;
}

export interface FileAnswer {
	accepted: number;
	duplicates: number;
	rejected: { index: number; error: string }[];
	complaints: { index: number; id: string; outcome: 'accepted' | 'duplicate' }[];
}

export const fileComplaint = (c: NewComplaint) =>
	call<FileAnswer>('POST', '/api/v1/complaints', [c]);

export function listComplaints(filter: ComplaintFilter, limit = 200) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(filter)) if (v) q.set(k, String(v));
	q.set('limit', String(limit));
	return call<{ total: number; complaints: ComplaintView[] }>('GET', `/api/v1/complaints?${q}`);
}

export interface ComplaintChange {
	from?: ComplaintStatus;
	status?: ComplaintStatus;
	assignee?: string | null;
	priority?: ComplaintPriority;
	category?: ComplaintCategory;
	siteCode?: string | null;
	note?: string;
}

export const changeComplaint = (id: string, change: ComplaintChange) =>
	call<{ complaint: ComplaintView }>(
		'PATCH',
		`/api/v1/complaints/${encodeURIComponent(id)}`,
		change
	);

export interface LinkAnswer {
	incident: { id: string; title: string } | null;
	linked: number;
	unchanged: number;
	rejected: { id: string; error: string }[];
}

export const linkComplaints = (
	ids: string[],
	target: { title: string } | { incidentId: string | null }
) => call<LinkAnswer>('POST', '/api/v1/complaints/link', { ids, ...target });

export const raiseAction = (
	id: string,
	body: { kind: ComplaintActionKind; note?: string; siteCode?: string | null }
) =>
	call<{ actionId: string; joined: boolean; complaint: ComplaintView }>(
		'POST',
		`/api/v1/complaints/${encodeURIComponent(id)}/actions`,
		body
	);

export const siteContext = (code: string) =>
	call<SiteContextView>('GET', `/api/v1/sites/${encodeURIComponent(code)}/context`);
