import { fallbackAccess } from '$lib/server/fallback-access';
import type { PageServerLoad } from './$types';

// The figures come from the live feed and the API in the browser; here, only what this
// person may do (the switch to paper is offered by role; the API checks it again).
export const load: PageServerLoad = ({ locals }) => ({ access: fallbackAccess(locals.user) });
