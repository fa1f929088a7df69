/**
 * The browser's calls to the fallback and alert API (the same endpoints scripts use), with
 * the server's refusal as the error's message.
 */
import type {
	AlertView,
	BackfillAnswer,
	BackfillReport,
	BackfillUploadView,
	FallbackEpisodeView,
	FallbackSummary,
	NotificationView,
	SiteMode,
	SwitchAnswer
} from '$lib/shared/fallback';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

async function request<T>(
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
	contentType = 'application/json'
): Promise<T> {
	let res: Response;
	try {
		res = await fetch(path, {
			method,
			credentials: 'same-origin',
			headers: body === undefined ? {} : { 'content-type': contentType },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
	} catch {
		throw new ApiError(
			0,
			'The command centre cannot be reached. Check the connection and try again.'
		);
	}
	const text = await res.text();
	let json: unknown = null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		// Not JSON (a proxy's error page): the status is all there is to say.
	}
	if (!res.ok) {
		const said = (json as { error?: string } | null)?.error;
		throw new ApiError(res.status, said ?? `The server answered ${res.status}.`);
	}
	return json as T;
}

const site = (code: string) => `/api/v1/sites/${encodeURIComponent(code)}`;

export interface SwitchRequest {
	mode: SiteMode;
	reasonCode: string;
	reason: string;
	registerCount?: number;
}

export const switchSite = (code: string, body: SwitchRequest) =>
	request<SwitchAnswer>('POST', `${site(code)}/mode`, body);

/** Every site of a district, or a chosen set. */
export const switchSites = (
	body: Omit<SwitchRequest, 'registerCount'> & { districtCode?: string; siteCodes?: string[] }
) => request<SwitchAnswer>('POST', '/api/v1/sites/mode', body);

export const loadFallback = () => request<FallbackSummary>('GET', '/api/v1/fallback');

export const previewBackfill = (code: string, csv: string) =>
	request<BackfillAnswer>('POST', `${site(code)}/backfill?dryRun=1`, csv, 'text/csv');

export const commitBackfill = (code: string, csv: string, filename: string | null) =>
	request<BackfillAnswer>(
		'POST',
		`${site(code)}/backfill${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`,
		csv,
		'text/csv'
	);

export const loadUploads = (code: string) =>
	request<{ uploads: BackfillUploadView[] }>('GET', `${site(code)}/backfill`);

export const loadReport = (id: string) =>
	request<BackfillReport>('GET', `/api/v1/backfill/${encodeURIComponent(id)}`);

export const reportRegister = (code: string, registerCount: number) =>
	request<{ ok: true }>('POST', `${site(code)}/register`, { registerCount });

export const reconcileSite = (code: string, registerCount: number) =>
	request<FallbackEpisodeView>('POST', `${site(code)}/reconcile`, { registerCount });

export const retryNotification = (id: string) =>
	request<NotificationView>('POST', `/api/v1/notifications/${encodeURIComponent(id)}/retry`);

export interface AlertList {
	alerts: AlertView[];
	assignees: { username: string; displayName: string | null }[];
}

export const loadAlerts = () => request<AlertList>('GET', '/api/v1/alerts');

const alert = (id: string) => `/api/v1/alerts/${encodeURIComponent(id)}`;

export const acknowledgeAlert = (id: string) =>
	request<AlertView>('POST', `${alert(id)}/acknowledge`);

export const assignAlert = (id: string, assignee: string) =>
	request<AlertView>('POST', `${alert(id)}/assign`, { assignee });

export const noteAlert = (id: string, text: string) =>
	request<AlertView>('POST', `${alert(id)}/notes`, { text });
