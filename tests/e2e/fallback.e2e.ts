/**
 * The manual fallback end to end, in Chromium against the production server: a site stalls
 * and its alert appears; an officer switches it to paper with a reason; a second browser
 * shows it as manual within 2 s; the audit log holds the entry; the paper register comes
 * back in through the upload page with a preview.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { localDate } from '../../src/lib/shared/time';
import { signInWithForm, startServer, type TestServer } from './harness';

const TZ = 'Asia/Kolkata';
const PUNE = '521';
const SITE = 'E2E-1';
const SITE_NAME = 'E2E Test Centre';
const PASSWORD = 'correct horse battery';
const OFFICER = 'fallback.officer';
const WATCHER = 'fallback.watcher';

// The paper-register test continues the episode the first test opens: a retry must
// re-run the file from the start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;

test.beforeAll(async () => {
	server = await startServer({
		env: {
			// A short stall window, statuses and the stall check every second; the demo's
			// sites have no doses yet and stay idle (a long start-up grace).
			STALL_MINUTES: '1',
			STARTUP_GRACE_MINUTES: '100000',
			STATUS_INTERVAL_SECONDS: '1'
		}
	});
	await server.admin(['load-demo']);
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
	await server.admin(
		['create-user', '--username', WATCHER, '--role', 'secretary'],
		`${PASSWORD}\n`
	);
	const out = await server.admin(['create-token', '--name', 'e2e', '--scope', 'ingest,read']);
	token = out.trim().split('\n').at(-1)!.trim();
});

test.afterAll(async () => {
	await server?.stop();
});

async function post(path: string, body: unknown) {
	const res = await fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	expect(res.status, await res.clone().text()).toBe(200);
	return res.json();
}

async function signIn(browser: Browser, username: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	const page = await context.newPage();
	await signInWithForm(page, server.url, username, PASSWORD);
	return page;
}

test('a stalled site is switched to paper; every screen sees it; the audit log holds it', async ({
	browser
}) => {
	// A site whose session opened an hour ago and whose last dose was two minutes ago.
	const now = Date.now();
	await post('/api/v1/sessions', [
		{
			sessionId: `${SITE}-session`,
			siteCode: SITE,
			date: localDate(new Date(now), TZ),
			capacity: 120,
			startsAt: new Date(now - 3_600_000).toISOString(),
			endsAt: new Date(now + 6 * 3_600_000).toISOString(),
			site: { name: SITE_NAME, districtCode: PUNE }
		}
	]);
	await post('/api/v1/doses', [
		{
			id: 'e2e-live-1',
			siteCode: SITE,
			occurredAt: new Date(now - 120_000).toISOString(),
			vaccine: 'COVISHIELD',
			dose: 1,
			beneficiaryRef: 'E2E-BEN-1'
		}
	]);

	const officer = await signIn(browser, OFFICER);
	const watcher = await signIn(browser, WATCHER);

	// The second screen: the overview's site list, filtered to the site.
	await watcher.getByLabel('Search sites').fill('E2E');
	const badge = watcher.locator(`tr[data-site="${SITE}"] [data-status]`);
	await expect(badge).toHaveAttribute('data-status', 'stalled');

	// The officer's alert list shows the stall with its cause.
	await officer.goto(`${server.url}/alerts`);
	const alert = officer.locator('article[data-kind="site_stalled"]', { hasText: SITE_NAME });
	await expect(alert).toBeVisible();
	await expect(alert).toContainText('no dose for');
	await officer.screenshot({ path: test.info().outputPath('fallback-alerts.png'), fullPage: true });

	// Switch it to paper, with a reason, and confirm.
	await alert.getByRole('button', { name: `Switch ${SITE_NAME} to paper` }).click();
	const dialog = officer.getByRole('dialog', { name: `Switch ${SITE_NAME} (${SITE}) to paper` });
	await expect(dialog).toBeVisible();
	await dialog.getByLabel('Reason').selectOption({ label: 'Vaccinator app not working' });
	await dialog.getByLabel(/Details/).fill('app crashes on start; MO informed');
	await officer.screenshot({ path: test.info().outputPath('fallback-dialog.png') });
	const clicked = Date.now();
	await dialog.getByRole('button', { name: 'Switch to paper' }).click();

	// The other browser shows it as manual within 2 s.
	await expect(badge).toHaveAttribute('data-status', 'manual', { timeout: 2_000 });
	expect(Date.now() - clicked).toBeLessThan(2_000);
	await expect(dialog).toBeHidden();
	await expect(officer.getByRole('status').filter({ hasText: 'switched to paper' })).toBeVisible();
	// Its stall alert closes: the officer acted.
	await expect(alert).toBeHidden();

	// The audit log: who, when and why.
	await officer.goto(`${server.url}/audit?action=site.mode`);
	const row = officer.locator('tbody tr', { hasText: SITE });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText(OFFICER);
	await expect(row).toContainText('app crashes on start; MO informed');

	// The overview's fallback panel counts it, and its alert list shows no stall.
	await officer.goto(`${server.url}/`);
	const panel = officer.getByRole('region', { name: 'Manual fallback' });
	await expect(
		panel.locator(`tr[data-fallback-district="${PUNE}"] td[data-col="manual"]`)
	).toHaveText('1');
	await officer.screenshot({
		path: test.info().outputPath('fallback-overview.png'),
		fullPage: true
	});

	// The fallback page: the site is on paper; the message to the site was sent (log).
	await officer.goto(`${server.url}/fallback`);
	const episode = officer.locator(`tr[data-episode-site="${SITE}"]`);
	await expect(episode).toContainText('On paper');
	await expect(
		officer.locator(`tr[data-fallback-district="${PUNE}"] td[data-col="manual"]`)
	).toHaveText('1');
	await expect(officer.locator('[data-notification][data-status="sent"]').first()).toContainText(
		`(${SITE}) switch to PAPER now`
	);
	await officer.screenshot({ path: test.info().outputPath('fallback-page.png'), fullPage: true });

	await officer.context().close();
	await watcher.context().close();
});

test('the paper register comes back in: preview, duplicates counted once, bad rows by line', async ({
	browser
}) => {
	const officer = await signIn(browser, OFFICER);
	await officer.goto(`${server.url}/fallback`);
	// Back online first (the site's fallback moves to backfilling).
	await officer
		.locator(`tr[data-episode-site="${SITE}"]`)
		.getByRole('button', { name: 'Switch back online' })
		.click();
	const dialog = officer.getByRole('dialog');
	await dialog.getByLabel('Reason').selectOption({ label: 'App working again' });
	await dialog.getByRole('button', { name: 'Switch back online' }).click();
	await expect(officer.locator(`tr[data-episode-site="${SITE}"]`)).toContainText('Backfilling');

	await officer
		.locator(`tr[data-episode-site="${SITE}"]`)
		.getByRole('link', { name: 'Paper register' })
		.click();
	await expect(
		officer.getByRole('heading', { name: `Paper register: ${SITE_NAME}` })
	).toBeVisible();

	const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
	const csv = [
		'beneficiaryRef,occurredAt,vaccine,dose,vaccinatorRef',
		// Held already (recorded live before the switch): a duplicate.
		`E2E-BEN-1,${minutesAgo(3)},COVISHIELD,1,VAC-9`,
		`E2E-BEN-2,${minutesAgo(2)},COVISHIELD,1,VAC-9`,
		`E2E-BEN-3,${minutesAgo(1)},COVISHIELD,1,VAC-9`,
		`E2E-BEN-4,soon,COVISHIELD,1,VAC-9`
	].join('\n');
	await officer.getByLabel('Register file (CSV)').setInputFiles({
		name: 'register.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(csv)
	});
	await expect(officer.locator('[data-tile="accepted"]')).toContainText('2 new doses');
	await expect(officer.locator('[data-tile="duplicates"]')).toContainText('1 already held');
	await expect(officer.locator('[data-rejected-line="5"]')).toContainText('occurredAt');
	await officer.screenshot({
		path: test.info().outputPath('fallback-backfill-preview.png'),
		fullPage: true
	});

	await officer.getByRole('button', { name: 'Add 2 doses to the record' }).click();
	await expect(officer.getByRole('status').filter({ hasText: 'Added 2 doses' })).toBeVisible();
	const upload = officer.locator('tr[data-upload]').first();
	await expect(upload).toContainText('register.csv');
	await expect(officer.locator('[data-accounted]')).toHaveText('3');

	// The register says 3: reconciled.
	await officer.getByLabel('Doses written in the paper register').fill('3');
	await officer.getByRole('button', { name: 'Confirm reconciled' }).click();
	await expect(officer.getByRole('status').filter({ hasText: 'Reconciled' })).toBeVisible();
	await officer.screenshot({
		path: test.info().outputPath('fallback-backfill-done.png'),
		fullPage: true
	});

	// The same register again: nothing new.
	const res = await fetch(`${server.url}/api/v1/sites/${SITE}/backfill`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
		body: csv
	});
	expect(await res.json()).toMatchObject({ accepted: 0, duplicates: 3, rejected: [{ line: 5 }] });
	await officer.context().close();
});

test('the fallback pages work on a phone-sized screen', async ({ browser }) => {
	const officer = await signIn(browser, OFFICER);
	await officer.setViewportSize({ width: 390, height: 844 });
	for (const path of ['/fallback', '/alerts', `/sites/${SITE}/backfill`]) {
		await officer.goto(`${server.url}${path}`);
		await expect(officer.locator('h1')).toBeVisible();
		const overflow = await officer.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow, path).toBeLessThanOrEqual(0);
		await officer.screenshot({
			path: test.info().outputPath(`fallback-390${path.replaceAll('/', '-')}.png`),
			fullPage: true
		});
	}
	await officer.context().close();
});
