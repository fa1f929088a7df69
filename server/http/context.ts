import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Action, Principal } from '../../src/lib/server/auth/policy';
import type { Services } from '../services';

/** What every API route handler gets. */
export interface RouteContext {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	/** Path parameters from the route pattern (e.g. :code). */
	params: Record<string, string>;
	services: Services;
	/** The caller, who must be allowed `action` (401/403 otherwise). */
	authorise(action: Action, target?: { districtCode?: string }): Promise<Principal>;
	/** The request body as text, within the configured size limit. */
	body(): Promise<string>;
}

export interface Route {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** A path such as /api/v1/sites/:code/mode. */
	path: string;
	handle(ctx: RouteContext): Promise<void>;
}
