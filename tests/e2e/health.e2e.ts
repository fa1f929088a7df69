import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, signInWithForm, startServer, type TestServer } from './harness';

const OFFICER = 'state.officer';
const PASSWORD = 'correct horse battery';

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;

test.beforeAll(async () => {
	server = await startServer();
	await server.admin(
		[
			'create-user',
			'--username',
			OFFICER,
			'--role',
			'state_officer',
			'--display-name',
			'Asha Patil'
		],
		`${PASSWORD}\n`
	);
	const out = await server.admin(['create-token', '--name', 'probe', '--scope', 'ingest']);
	token = out.trim().split('\n').at(-1)!.trim();

	// An outside probe reports the national server answering slowly for the last ten minutes.
	const now = Date.now();
	const samples = Array.from({ length: 10 }, (_, i) => ({
		target: 'national-server',
		at: new Date(now - (10 - i) * 60_000).toISOString(),
		ok: true,
		latencyMs: 2600 + i * 150
	}));
	const res = await fetch(`${server.url}/api/v1/health`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(samples)
	});
	expect(await res.json()).toEqual({ accepted: 10, duplicates: 0, rejected: [] });
});

test.afterAll(async () => {
	await server?.stop();
});

async function signIn(page: Page) {
	await signInWithForm(page, server.url, OFFICER, PASSWORD);
}

test('the health panel shows a degraded target, its incident and its latency chart', async ({
	page
}) => {
	await signIn(page);
	await page.getByRole('link', { name: 'Health', exact: true }).click();
	await expect(page).toHaveURL(`${server.url}/health`);

	const tile = page.locator('article[data-target="national-server"]');
	await expect(tile.getByRole('heading', { name: 'National server (CoWIN)' })).toBeVisible();
	await expect(tile.locator('.status')).toHaveText('Degraded');
	await expect(tile).toHaveAttribute('data-status', 'degraded');
	// Ten answers between 2.6 and 3.95 s: the median and 95th percentile in seconds.
	await expect(tile.getByText('3.3 s · 3.9 s')).toBeVisible();
	// Two slow answers in a row open an incident; the page reads it when it is opened.
	await expect(tile.getByText(/Incident since \d\d:\d\d/)).toBeVisible();
	await expect(tile.getByText(/degraded: \d+ slow answers in a row/)).toBeVisible();

	const chart = tile.getByRole('img', { name: /Latency of National server \(CoWIN\)/ });
	await expect(chart).toBeVisible();
	await expect(chart).toHaveAttribute('aria-label', /median 3\.3 s, 95th percentile 3\.9 s/);
	// The canvas is not blank: the p95 line (wine, #882255) is drawn on it.
	await expect
		.poll(
			async () =>
				(await canvasPixels(page, 'article[data-target="national-server"] canvas', [136, 34, 85]))
					.matching
		)
		.toBeGreaterThan(0);

	// The incident is in the timeline list too (the timeline reloads on its own schedule).
	await expect(
		page.locator('tr[data-kind="health_incident"]').filter({ hasText: 'National server (CoWIN)' })
	).toHaveCount(1, { timeout: 30_000 });
});

test('the field status page needs no account, and shows what a state officer writes', async ({
	browser,
	page
}) => {
	const field = await browser.newPage();
	await field.goto(`${server.url}/status`);
	await expect(field).toHaveURL(`${server.url}/status`);
	const component = field
		.locator('article[data-status]')
		.filter({ hasText: 'National vaccination server' });
	await expect(component.getByText('Degraded', { exact: true })).toBeVisible();
	await expect(component.getByRole('heading', { name: 'What to do now' })).toBeVisible();
	await expect(component.getByText(/Record every dose on the paper register/)).toBeVisible();
	await expect(field.getByRole('button', { name: 'Save' })).toHaveCount(0);

	await signIn(page);
	await page.goto(`${server.url}/status`, { waitUntil: 'networkidle' });
	const mine = page
		.locator('article[data-status]')
		.filter({ hasText: 'National vaccination server' });
	await mine.getByText('Edit this component').click();
	await mine
		.getByLabel('What sites do while it is down')
		.fill('Use the paper register; NIC says 30 minutes.');
	await mine.getByLabel('Note from the control room (optional)').fill('NIC informed at 10:05');
	await mine.getByLabel('Status', { exact: true }).selectOption('down');
	await mine.getByRole('button', { name: 'Save' }).click();
	await expect(mine.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

	// The field sees it at its next refresh.
	await expect(component.getByText('Use the paper register; NIC says 30 minutes.')).toBeVisible({
		timeout: 30_000
	});
	await expect(component.getByText('Down', { exact: true })).toBeVisible();
	await expect(component.getByText('NIC informed at 10:05')).toBeVisible();
	await expect(component.getByText(/Status set by the state control room/)).toBeVisible();
	await field.close();
});
