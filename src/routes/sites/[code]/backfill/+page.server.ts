import { error } from '@sveltejs/kit';
import { database } from '$lib/server/app-context';
import { siteSummary } from '$lib/server/db/queries/fallback';
import { listDistricts } from '$lib/server/db/queries/site';
import { fallbackAccess } from '$lib/server/fallback-access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const access = fallbackAccess(locals.user);
	const db = database();
	const site = await siteSummary(db, params.code);
	// Outside a district officer's districts, a site is as good as unknown.
	if (!site || (access.districts && !access.districts.includes(site.districtCode)))
		error(404, `No site ${params.code}.`);
	const district = (await listDistricts(db)).find((d) => d.code === site.districtCode);
	return { site, districtName: district?.name ?? site.districtCode, access };
};
