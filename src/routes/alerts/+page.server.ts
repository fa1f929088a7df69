import { fallbackAccess } from '$lib/server/fallback-access';
import type { PageServerLoad } from './$types';

// The figures come from the API in the browser and follow the live feed; here, only what
// this person may do.
export const load: PageServerLoad = ({ locals }) => ({ access: fallbackAccess(locals.user) });
