import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Snapshot } from '../../src/lib/shared/live';
import { addDays, localDate, localParts } from '../../src/lib/shared/time';
import { signInWithForm, startServer, type TestServer } from './harness';

const PUNE = '521';
const USERNAME = 'state.officer';
const PASSWORD = 'correct horse battery';
const TZ = 'Asia/Kolkata';
const MIN = 60_000;

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;
let siteCode: string;
let siteName: string;
/** Tomorrow: the demo books nobody then, so the list holds only this test's people. */
const date = addDays(localDate(new Date(), TZ), 1);
const run = Date.now().toString(36);
const ref = (who: string) => `E2E-${run}-${who}`;
const sid = (who: string) => `SM${run}${who}`.padEnd(34, '0');

async function api(path: string, body: string, contentType = 'application/json') {
	const res = await fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
		body
	});
	expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
	return res.json();
}

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
	const out = await server.admin([
		'create-token',
		'--name',
		'e2e-gateway',
		'--scope',
		'ingest,read'
	]);
	token = out.trim().split('\n').at(-1)!.trim();

	const snapshot = (await (
		await fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${token}` } })
	).json()) as Snapshot;
	const site = snapshot.sites.find((s) => s.districtCode === PUNE)!;
	siteCode = site.code;
	siteName = site.name;

	// Five people booked tomorrow: one told, two failed, one never heard of, one still waiting.
	const people = ['told', 'invalid', 'smpp', 'silent', 'waiting'];
	await api(
		'/api/v1/appointments',
		JSON.stringify(
			people.map((p, i) => ({
				beneficiaryRef: ref(p),
				siteCode,
				date,
				slot: `${9 + i}:00-${10 + i}:00`,
				name: `Test ${p[0].toUpperCase()}${p.slice(1)}`,
				phone: `+91 98220 1000${i}`
			}))
		)
	);
	const now = Date.now();
	const sentAgo = { told: 45, invalid: 44, smpp: 43, silent: 40, waiting: 2 };
	await api(
		'/api/v1/sms/messages',
		JSON.stringify(
			people.map((p) => ({
				messageId: p === 'smpp' ? `${run}77` : sid(p),
				beneficiaryRef: ref(p),
				siteCode,
				kind: 'appointment',
				sentAt: new Date(now - sentAgo[p as keyof typeof sentAgo] * MIN).toISOString(),
				phone: '+919822010000',
				sessionDate: date
			}))
		)
	);
	// The gateways report back in their own forms.
	const form = (who: string, status: string, code?: string) =>
		new URLSearchParams({
			MessageSid: sid(who),
			MessageStatus: status,
			...(code ? { ErrorCode: code } : {})
		}).toString();
	await api('/api/v1/sms/twilio', form('told', 'delivered'), 'application/x-www-form-urlencoded');
	await api(
		'/api/v1/sms/twilio',
		form('invalid', 'undelivered', '30005'),
		'application/x-www-form-urlencoded'
	);
	// SMPP dates: YYMMDDhhmm in the state's zone, a minute ago.
	const p = localParts(new Date(now - MIN), TZ);
	const stamp = [p.year % 100, p.month, p.day, p.hour, p.minute]
		.map((n) => String(n).padStart(2, '0'))
		.join('');
	await api(
		'/api/v1/sms/smpp-dlr',
		`id:${run}77 sub:001 dlvrd:000 submit date:${stamp} done date:${stamp} stat:UNDELIV err:001 text:Your vaccinat`,
		'text/plain'
	);
});

test.afterAll(async () => {
	await server?.stop();
});

async function signIn(page: Page) {
	await signInWithForm(page, server.url, USERNAME, PASSWORD);
}

async function signedInPage(browser: Browser, width = 1600, height = 1000) {
	const context = await browser.newContext({ viewport: { width, height } });
	const page = await context.newPage();
	await signIn(page);
	return { context, page };
}

test('the board shows the failing district and why', async ({ browser }) => {
	const { context, page } = await signedInPage(browser);
	await page.getByRole('link', { name: 'SMS', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'SMS delivery', level: 1 })).toBeVisible();
	const pune = page.locator(`tr[data-district="${PUNE}"]`);
	await expect(pune.locator('th')).toHaveText('Pune');
	await expect(pune.locator('td[data-col="failed"]')).toHaveText('2');
	await expect(pune.locator('td[data-col="noReport"]')).toHaveText('1');
	await expect(page.locator('[data-kpi="awaiting"]')).toHaveText('1');
	await expect(pune.locator('td[data-col="reason"]')).toHaveText('Invalid number');
	await expect(pune.locator('td[data-col="failureRate"]')).toContainText('Failing');
	await expect(page.locator('tr[data-reason="invalid_number"] td')).toHaveText('2');
	await expect(page.locator(`tr[data-site="${siteCode}"]`)).toContainText(siteName);
	await page.screenshot({ path: test.info().outputPath('sms-board.png'), fullPage: true });

	await page.setViewportSize({ width: 390, height: 844 });
	// The chart resizes to its panel on the next frame: the page settles within the window.
	await expect
		.poll(() =>
			page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			)
		)
		.toBeLessThanOrEqual(0);
	await page.screenshot({ path: test.info().outputPath('sms-board-390.png'), fullPage: true });
	await context.close();
});

test('the call list CSV holds exactly the failed and no-report people', async ({ browser }) => {
	const { context, page } = await signedInPage(browser);
	const res = await page.request.get(
		`${server.url}/api/v1/sites/${siteCode}/call-list.csv?date=${date}`
	);
	expect(res.status()).toBe(200);
	const rows = (await res.text()).trim().split('\r\n').slice(1);
	expect(rows.map((r) => r.split(',')[0]).sort()).toEqual(
		[ref('invalid'), ref('silent'), ref('smpp')].sort()
	);
	expect(rows.find((r) => r.startsWith(ref('silent')))).toContain('No report');
	expect(rows.find((r) => r.startsWith(ref('invalid')))).toContain('Invalid number');
	await context.close();
});

test('marking a person reached removes them on a second screen within 2 s', async ({ browser }) => {
	const first = await signedInPage(browser);
	const second = await signedInPage(browser, 1280, 900);
	const url = `${server.url}/sites/${siteCode}/call-list?date=${date}`;
	for (const { page } of [first, second]) {
		await page.goto(url);
		await expect(page.getByRole('heading', { name: `Call list: ${siteName}` })).toBeVisible();
		await expect(page.getByRole('status').filter({ hasText: 'Connection:' })).toContainText('Live');
	}
	const row = (page: Page) =>
		page.locator(`table[data-list="to-call"] tr[data-person="${ref('silent')}"]`);
	await expect(row(second.page)).toBeVisible();
	await expect(first.page.locator('table[data-list="to-call"] tbody tr')).toHaveCount(3);
	await first.page.screenshot({ path: test.info().outputPath('call-list.png'), fullPage: true });

	await row(first.page)
		.getByRole('button', { name: /^Reached/ })
		.click();
	await expect(row(second.page)).toHaveCount(0, { timeout: 2_000 });
	await expect(second.page.locator('[data-count="reached"]')).toHaveText('1');
	await expect(
		second.page.locator(`table[data-list="called"] tr[data-person="${ref('silent')}"]`)
	).toContainText('Reached by phone');

	// The fallback texts are ready to copy, with their segment counts.
	const hindi = second.page.locator('figure[data-language="hi"]');
	await expect(hindi.locator('p[lang="hi"]')).toContainText('आपका टीकाकरण');
	await expect(hindi.locator('[data-length]')).toContainText('UCS-2');
	await second.page.setViewportSize({ width: 390, height: 844 });
	await expect
		.poll(() =>
			second.page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			)
		)
		.toBeLessThanOrEqual(0);
	await second.page.screenshot({
		path: test.info().outputPath('call-list-390.png'),
		fullPage: true
	});

	await first.page.getByRole('link', { name: 'Print call sheet' }).click();
	await expect(first.page.getByRole('heading', { name: `Call sheet: ${siteName}` })).toBeVisible();
	await expect(first.page.locator('tr[data-person]')).toHaveCount(2);
	await first.page.screenshot({ path: test.info().outputPath('call-sheet.png'), fullPage: true });
	await first.context.close();
	await second.context.close();
});
