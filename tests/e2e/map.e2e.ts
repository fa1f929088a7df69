/**
 * The command-centre map in Chromium against the real production server: districts drawn
 * (the canvas is not blank), a district's fill following posted doses, a site's marker
 * turning stalled, a district's panel with a chart that has data, official boundaries
 * imported with names spelled differently, and not one request leaving the machine.
 */
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Request } from '@playwright/test';
import type { Snapshot } from '../../src/lib/shared/live';
import { addDays, localDate } from '../../src/lib/shared/time';
import { signInWithForm, startServer, type TestServer } from './harness';

const PUNE = '521';
const USERNAME = 'map.officer';
const PASSWORD = 'correct horse battery';

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;

test.beforeAll(async () => {
	// Statuses re-derived every second, so a site opening long ago shows stalled at once.
	server = await startServer({ env: { STATUS_INTERVAL_SECONDS: '1' } });
	await server.admin(['load-demo']);
	await server.admin(
		['create-user', '--username', USERNAME, '--role', 'state_officer'],
		`${PASSWORD}\n`
	);
	const out = await server.admin(['create-token', '--name', 'e2e-map', '--scope', 'ingest,read']);
	token = out.trim().split('\n').at(-1)!.trim();
});

test.afterAll(async () => {
	await server?.stop();
});

/** Every request the page makes, from the first navigation on. */
function recordRequests(page: Page): string[] {
	const urls: string[] = [];
	page.on('request', (r: Request) => urls.push(r.url()));
	return urls;
}

async function signIn(page: Page, next = '/') {
	await signInWithForm(page, server.url, USERNAME, PASSWORD);
	if (next !== '/') await page.goto(`${server.url}${next}`);
}

async function mapReady(page: Page) {
	await expect(page.locator('.map[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
	// Tiles of the GeoJSON sources are built in a worker; wait until the map says it is idle.
	await page.waitForFunction(() => {
		const map = (window as unknown as { __commandCentreMap?: { loaded(): boolean } })
			.__commandCentreMap;
		return !!map && map.loaded();
	});
}

async function api<T>(path: string): Promise<T> {
	const res = await fetch(`${server.url}${path}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(res.status, path).toBe(200);
	return (await res.json()) as T;
}

async function post(path: string, body: unknown) {
	const res = await fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	expect(res.status, path).toBe(200);
	return res.json();
}

test('the map draws the districts, and not one request leaves the machine', async ({ page }) => {
	const requests = recordRequests(page);
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page);
	await mapReady(page);

	const canvas = page.locator('.map canvas');
	const png = await canvas.screenshot();
	await page.screenshot({ path: 'test-results/map-overview.png' });
	const colours = await page.evaluate(async (b64) => {
		const img = new Image();
		img.src = `data:image/png;base64,${b64}`;
		await img.decode();
		const c = document.createElement('canvas');
		c.width = img.width;
		c.height = img.height;
		const ctx = c.getContext('2d')!;
		ctx.drawImage(img, 0, 0);
		const data = ctx.getImageData(0, 0, c.width, c.height).data;
		const seen = new Set<number>();
		for (let i = 0; i < data.length; i += 4 * 97)
			seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
		return seen.size;
	}, png.toString('base64'));
	expect(colours, 'distinct colours on the map canvas').toBeGreaterThan(20);

	// Let the live feed run a while, so every request of a running page is counted too.
	await page.waitForTimeout(3_000);
	const origin = new URL(server.url).origin;
	const outside = requests.filter((u) => {
		if (u.startsWith('data:')) return false;
		// blob: URLs carry the origin that made them.
		return new URL(u.startsWith('blob:') ? u.slice(5) : u).origin !== origin;
	});
	expect(outside).toEqual([]);
	expect(requests.some((u) => u.includes('/api/v1/districts/geometry'))).toBe(true);
});

type MapHandle = {
	getFeatureState(f: { source: string; id: string }): Record<string, unknown>;
	getSource(id: string):
		| {
				getData(): Promise<{
					features: {
						properties: Record<string, unknown>;
						geometry: { type: string; coordinates: unknown };
					}[];
				}>;
		  }
		| undefined;
	jumpTo(o: { center: [number, number]; zoom: number }): void;
	project(l: [number, number]): { x: number; y: number };
	queryRenderedFeatures(
		p?: [number, number] | [[number, number], [number, number]],
		o?: { layers: string[] }
	): { layer: { id: string }; properties: Record<string, unknown> }[];
	loaded(): boolean;
};

/** The fill band the map holds for a district (feature-state), read in the page. */
function districtBand(page: Page, code: string) {
	return page.evaluate((id) => {
		const map = (window as unknown as { __commandCentreMap: MapHandle }).__commandCentreMap;
		return map.getFeatureState({ source: 'districts', id }).band as number | undefined;
	}, code);
}

test("a district's fill follows the doses posted for its sites", async ({ page }) => {
	await signIn(page);
	await mapReady(page);
	const snapshot = await api<Snapshot>('/api/v1/snapshot');
	const pune = snapshot.districts.find((d) => d.code === PUNE)!;
	expect(pune.capacityPerHour, 'demo sessions are open now').toBeGreaterThan(0);
	// The band the map holds is the one the live figures give (lower bounds 0, 25, 50, 75, 100 %).
	const share = pune.dosesLastHour / pune.capacityPerHour;
	const expected = [1, 0.75, 0.5, 0.25, 0].findIndex((floor) => share >= floor);
	await expect.poll(() => districtBand(page, PUNE)).toBe(4 - expected);
	const before = await districtBand(page, PUNE);

	// Enough doses in the last hour to meet the plan: the top band.
	const site = snapshot.sites.find((s) => s.districtCode === PUNE)!;
	const need = Math.max(1, pune.capacityPerHour - pune.dosesLastHour);
	const run = Date.now().toString(36);
	const now = new Date().toISOString();
	await post(
		'/api/v1/doses',
		Array.from({ length: need }, (_, i) => ({
			id: `map-${run}-${i}`,
			siteCode: site.code,
			occurredAt: now,
			vaccine: 'COVISHIELD',
			dose: 1,
			beneficiaryRef: `map-b-${run}-${i}`
		}))
	);
	await expect.poll(() => districtBand(page, PUNE), { timeout: 10_000 }).toBe(4);
	expect(before).not.toBe(4);
	// The table beside the map says the same in words.
	await page.getByText('The map as a table').click();
	const row = page.locator(`tr[data-map-district="${PUNE}"]`);
	await expect(row).toHaveAttribute('data-band', '4');
	await expect(row).toContainText('At or above plan');
});

test("the SMS layer colours districts by today's delivery", async ({ page }) => {
	await signIn(page);
	await mapReady(page);
	const snapshot = await api<Snapshot>('/api/v1/snapshot');
	const site = snapshot.sites.find((s) => s.districtCode === PUNE)!;
	const run = Date.now().toString(36);
	const sentAt = new Date().toISOString();
	const ids = [0, 1, 2, 3].map((i) => `map-sms-${run}-${i}`);
	await post(
		'/api/v1/sms/messages',
		ids.map((messageId, i) => ({
			messageId,
			beneficiaryRef: `map-sms-b-${run}-${i}`,
			siteCode: site.code,
			kind: 'appointment',
			sentAt
		}))
	);
	await post(
		'/api/v1/sms/reports',
		ids.map((messageId) => ({ messageId, status: 'delivered', at: sentAt }))
	);
	// The radio is drawn as a segmented button: its label is what takes the click.
	await page.locator('.map-panel label', { hasText: 'SMS delivered' }).click();
	await expect(page.getByRole('radio', { name: 'SMS delivered' })).toBeChecked();
	await expect.poll(() => districtBand(page, PUNE), { timeout: 15_000 }).toBe(4);
	// A district with no SMS today is hatched, not shown as 0 %.
	const quiet = snapshot.districts.find((d) => d.smsSent === 0 && d.code !== PUNE);
	if (quiet) await expect.poll(() => districtBand(page, quiet.code)).toBe(-1);
	await page.getByText('The map as a table').click();
	await expect(page.locator(`tr[data-map-district="${PUNE}"]`)).toContainText(
		'98 % delivered or more'
	);
});

test('a site turning stalled changes its marker', async ({ page }) => {
	await signIn(page);
	await mapReady(page);
	const today = localDate(new Date(), 'Asia/Kolkata');
	const code = `MAP-E2E-${Date.now().toString(36)}`;
	const at = { lat: 18.62, lon: 73.95 };
	// A new site with a session tomorrow only: closed today.
	await post('/api/v1/sessions', [
		{
			sessionId: `${code}-tomorrow`,
			siteCode: code,
			date: addDays(today, 1),
			capacity: 100,
			site: { name: 'E2E Map Site', districtCode: PUNE, ...at }
		}
	]);
	const marker = () =>
		page.evaluate(
			({ code, at }) => {
				const map = (window as unknown as { __commandCentreMap: MapHandle }).__commandCentreMap;
				// Close enough that nothing is clustered; the marker is drawn at the centre.
				map.jumpTo({ center: [at.lon, at.lat], zoom: 13 });
				const { x, y } = map.project([at.lon, at.lat]);
				const hit = map
					.queryRenderedFeatures(
						[
							[x - 12, y - 12],
							[x + 12, y + 12]
						],
						{ layers: ['site-points'] }
					)
					.find((f) => f.properties.code === code);
				return hit ? String(hit.properties.status) : null;
			},
			{ code, at }
		);
	await expect.poll(marker, { timeout: 15_000 }).toBe('closed');

	// A session that opened two hours ago with no dose since: stalled.
	const started = new Date(Date.now() - 2 * 3_600_000);
	await post('/api/v1/sessions', [
		{
			sessionId: `${code}-today`,
			siteCode: code,
			date: today,
			capacity: 100,
			startsAt: started.toISOString(),
			endsAt: new Date(Date.now() + 4 * 3_600_000).toISOString()
		}
	]);
	await expect.poll(marker, { timeout: 15_000 }).toBe('stalled');
	await page.locator('.map').screenshot({ path: 'test-results/map-site-stalled.png' });

	// From its popup, the site goes to paper in one recorded action; its marker follows.
	const at_ = await page.evaluate((p) => {
		const map = (window as unknown as { __commandCentreMap: MapHandle }).__commandCentreMap;
		return map.project([p.lon, p.lat]);
	}, at);
	await page.locator('.map canvas').click({ position: { x: at_.x, y: at_.y } });
	const popup = page.locator(`[data-site-popup="${code}"]`);
	await expect(popup).toBeVisible();
	await expect(popup.getByRole('heading', { name: 'E2E Map Site' })).toBeVisible();
	await popup.getByRole('button', { name: 'Switch to paper' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByLabel('Reason').selectOption({ label: 'Vaccinator app not working' });
	await dialog.getByRole('button', { name: 'Switch to paper' }).click();
	await expect(dialog).toBeHidden();
	await expect.poll(marker, { timeout: 15_000 }).toBe('manual');
	await expect(popup.locator('[data-status]')).toHaveAttribute('data-status', 'manual');
});

test('clicking a district opens its panel with a chart that has data', async ({ page }) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page);
	await mapReady(page);
	const snapshot = await api<Snapshot>('/api/v1/snapshot');
	const site = snapshot.sites.find((s) => s.districtCode === PUNE)!;
	const run = Date.now().toString(36);
	await post(
		'/api/v1/doses',
		[0, 1, 2].map((i) => ({
			id: `click-${run}-${i}`,
			siteCode: site.code,
			occurredAt: new Date().toISOString(),
			vaccine: 'COVISHIELD',
			dose: 1,
			beneficiaryRef: `click-b-${run}-${i}`
		}))
	);

	// A point of Pune on the canvas with no site or cluster on top of it.
	const point = await page.evaluate(async (id) => {
		const map = (window as unknown as { __commandCentreMap: MapHandle }).__commandCentreMap;
		const data = await map.getSource('districts')!.getData();
		const feature = data.features.find((f) => f.properties.code === id)!;
		const { x, y } = map.project([
			feature.properties.labelLon as number,
			feature.properties.labelLat as number
		]);
		for (let r = 0; r < 60; r += 4) {
			for (const [dx, dy] of [
				[0, 0],
				[r, 0],
				[-r, 0],
				[0, r],
				[0, -r],
				[r, r],
				[-r, -r],
				[r, -r],
				[-r, r]
			]) {
				const top = map.queryRenderedFeatures([x + dx, y + dy], {
					layers: ['site-points', 'site-clusters', 'site-cluster-stalled', 'district-fill']
				})[0];
				if (top?.layer.id === 'district-fill' && top.properties.code === id)
					return { x: x + dx, y: y + dy };
			}
		}
		return null;
	}, PUNE);
	expect(point, 'a clear point inside Pune').not.toBeNull();
	await page.locator('.map canvas').click({ position: point! });

	await expect(page).toHaveURL(`${server.url}/districts/${PUNE}`);
	const panel = page.locator(`[data-district-panel="${PUNE}"]`);
	await expect(panel).toBeVisible();
	await expect(panel.getByRole('heading', { name: 'Pune', level: 2 })).toBeVisible();
	const chart = panel.locator('.chart[data-doses]');
	await expect(chart).toBeVisible();
	await expect
		.poll(async () => Number(await chart.getAttribute('data-doses')))
		.toBeGreaterThanOrEqual(3);
	await expect(panel.locator('tr[data-site]').first()).toBeVisible();
	await page.screenshot({ path: 'test-results/map-district-panel.png', fullPage: false });

	// The address is shareable: opened on its own, it is the district's page.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Pune', level: 1 })).toBeVisible();
	await expect(page.locator('.chart[data-doses]')).toBeVisible();
});

test('the wall display keeps stalled sites and the districts furthest behind in view', async ({
	page
}) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await signIn(page, '/?wall=1');
	await mapReady(page);
	await expect(page.getByRole('heading', { name: /Stalled sites/ })).toBeVisible();
	await expect(page.locator('[data-wall-stalled]').first()).toBeVisible();
	await expect(page.locator('[data-wall-district]').first()).toBeVisible();
	// The long tables are left out; nothing needs a hover.
	await expect(page.locator('tr[data-district]')).toHaveCount(0);
	await page.screenshot({ path: 'test-results/map-wall.png' });
});

test('official boundaries with names spelled differently replace the demo shapes on the map', async ({
	page
}) => {
	const file = fileURLToPath(
		new URL('../fixtures/geo/maharashtra-renamed.geojson', import.meta.url)
	);
	const output = await server.admin(['import-boundaries', file]);
	expect(output).toMatch(/Matched 36 of 36 features/);
	expect(output).toMatch(/Features not matched \(0\)/);
	expect(output).toMatch(/Districts with no boundary in the file \(0\)/);

	await signIn(page);
	await mapReady(page);
	const pune = await page.evaluate(async (id) => {
		const map = (window as unknown as { __commandCentreMap: MapHandle }).__commandCentreMap;
		const data = await map.getSource('districts')!.getData();
		const f = data.features.find((x) => x.properties.code === id)!;
		return {
			approximate: f.properties.approximate,
			ring: (f.geometry.coordinates as number[][][])[0]
		};
	}, PUNE);
	expect(pune.approximate).toBe(false);
	// The imported octagon around Pune's headquarters, not the demo's Voronoi cell.
	expect(pune.ring).toHaveLength(9);
	for (const [lon, lat] of pune.ring)
		expect(Math.hypot(lon - 73.86, lat - 18.52)).toBeLessThan(0.07);
	await expect(page.getByText(/drawn with approximate demo shapes/)).toHaveCount(0);
	await page.locator('.map').screenshot({ path: 'test-results/map-imported.png' });
});
