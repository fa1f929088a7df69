import { expect, test, type Page } from '@playwright/test';
import type { Snapshot } from '../../src/lib/shared/live';
import { signInWithForm, startServer, type TestServer } from './harness';

const PUNE = '521';
const USERNAME = 'state.officer';
const PASSWORD = 'correct horse battery';

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;

test.beforeAll(async () => {
	server = await startServer();
	await server.admin(['load-demo']);
	await server.admin(
		[
			'create-user',
			'--username',
			USERNAME,
			'--role',
			'state_officer',
			'--display-name',
			'Asha Patil'
		],
		`${PASSWORD}\n`
	);
	const out = await server.admin(['create-token', '--name', 'e2e', '--scope', 'ingest,read']);
	token = out.trim().split('\n').at(-1)!.trim();
});

test.afterAll(async () => {
	await server?.stop();
});

async function signIn(page: Page) {
	await signInWithForm(page, server.url, USERNAME, PASSWORD);
}

/** "1,23,456" → 123456 */
const parseCount = (text: string) => Number(text.replace(/[^\d]/g, ''));

test('the overview counts new doses live', async ({ page }) => {
	const res = await fetch(`${server.url}/api/v1/snapshot`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(res.status).toBe(200);
	const snapshot = (await res.json()) as Snapshot;
	const puneSite = snapshot.sites.find((s) => s.districtCode === PUNE);
	expect(puneSite, 'the demo state has a site in Pune').toBeDefined();

	// A laptop-sized window; the wall display is wider still.
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page);

	const connection = page.getByRole('status').filter({ hasText: 'Connection:' });
	await expect(connection).toBeVisible();

	const cell = page.locator(`tr[data-district="${PUNE}"] td[data-col="dosesToday"]`);
	await expect(cell).toBeVisible();
	await expect(page.locator(`tr[data-district="${PUNE}"] th`)).toHaveText('Pune');
	const before = parseCount(await cell.innerText());
	const kpi = page.locator('[data-kpi="dosesToday"]');
	const kpiBefore = parseCount(await kpi.innerText());

	const now = new Date().toISOString();
	const run = Date.now().toString(36);
	const doses = Array.from({ length: 5 }, (_, i) => ({
		id: `e2e-${run}-${i}`,
		siteCode: puneSite!.code,
		occurredAt: now,
		vaccine: 'COVISHIELD',
		dose: 1,
		beneficiaryRef: `e2e-beneficiary-${run}-${i}`
	}));
	const posted = await fetch(`${server.url}/api/v1/doses`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(doses)
	});
	expect(posted.status).toBe(200);
	expect(await posted.json()).toMatchObject({ accepted: 5, duplicates: 0, rejected: [] });

	await expect(cell).toHaveText((before + 5).toLocaleString('en-IN'), { timeout: 3_000 });
	await expect(kpi).toHaveText((kpiBefore + 5).toLocaleString('en-IN'));
	await expect(connection).toContainText('Live');

	await page.screenshot({ path: 'test-results/overview.png' });
});

test('the overview works on a phone-sized screen', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await signIn(page);
	await expect(page.locator(`tr[data-district="${PUNE}"]`)).toBeVisible();
	// Wide tables scroll inside their panels; the page itself does not scroll sideways.
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'test-results/overview-390.png' });
});

test('districts sort by column and the site list filters by status', async ({ page }) => {
	await signIn(page);
	const districts = page.getByRole('table', { name: /^Districts today/ });
	const header = districts.getByRole('columnheader', { name: 'Doses today' });
	await header.getByRole('button').click();
	await expect(header).toHaveAttribute('aria-sort', 'descending');
	const doses = districts.locator('tbody td[data-col="dosesToday"]');
	const values = (await doses.allInnerTexts()).map(parseCount);
	expect(values.length).toBe(36);
	expect(values).toEqual(values.toSorted((a, b) => b - a));

	await page.getByLabel('Search sites').fill('pune');
	await expect(page.locator('tr[data-site]').first()).toBeVisible();
	await page.getByRole('radio', { name: /Closed/ }).check();
	for (const badge of await page.locator('tr[data-site] [data-status]').all()) {
		await expect(badge).toHaveAttribute('data-status', 'closed');
	}
});
