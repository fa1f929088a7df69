/**
 * The help desk in Chromium against the real production server: a complaint filed with
 * the keyboard alone (the site found by typing a few letters, its live context on screen),
 * an officer's overview showing the complaint spike after a burst sent to the API, and an
 * SLA breach marked in the queue.
 */
import { expect, test, type Page } from '@playwright/test';
import type { ComplaintView } from '../../src/lib/shared/complaint';
import type { Snapshot } from '../../src/lib/shared/live';
import { signInWithForm, startServer, type TestServer } from './harness';

const PASSWORD = 'correct horse battery';
const PUNE = '521';
const HELPDESK = 'e2e.helpdesk';
const OFFICER = 'e2e.officer';

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;
let snapshot: Snapshot;

test.beforeAll(async () => {
	server = await startServer({
		env: { COMPLAINT_SPIKE_COUNT: '20', COMPLAINT_SPIKE_MINUTES: '15' }
	});
	await server.admin(['load-demo']);
	await server.admin(
		['create-user', '--username', HELPDESK, '--role', 'helpdesk'],
		`${PASSWORD}\n`
	);
	await server.admin(
		['create-user', '--username', OFFICER, '--role', 'state_officer'],
		`${PASSWORD}\n`
	);
	const out = await server.admin(['create-token', '--name', 'e2e', '--scope', 'ingest,read']);
	token = out.trim().split('\n').at(-1)!.trim();
	const res = await fetch(`${server.url}/api/v1/snapshot`, {
		headers: { authorization: `Bearer ${token}` }
	});
	snapshot = (await res.json()) as Snapshot;
});

test.afterAll(async () => {
	await server?.stop();
});

async function signIn(page: Page, username: string) {
	await signInWithForm(page, server.url, username, PASSWORD);
}

function post(path: string, body: unknown) {
	return fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

test('help desk files a complaint about a site with the keyboard alone', async ({ page }) => {
	// A Pune site whose last word ("Aundh") no other Pune site has: a few of its letters find it.
	const pune = snapshot.sites.filter((s) => s.districtCode === PUNE);
	const lastWord = (name: string) => name.split(/\s+/).at(-1)!.toLowerCase();
	const site = pune.find(
		(s) =>
			pune.filter((o) => lastWord(o.name).startsWith(lastWord(s.name).slice(0, 5))).length === 1
	);
	expect(site, 'the demo has a Pune site with a distinct name').toBeDefined();
	const letters = lastWord(site!.name).slice(0, 5);

	await page.setViewportSize({ width: 1400, height: 1000 });
	await signIn(page, HELPDESK);
	await page.goto(`${server.url}/helpdesk`, { waitUntil: 'networkidle' });
	const form = page.getByRole('form', { name: 'New complaint' });
	const phone = form.getByLabel("Caller's phone");
	await expect(phone).toBeFocused();
	// The live picture has arrived (the site list comes from it).
	await expect(page.getByRole('status').filter({ hasText: 'Connection:' })).toContainText('Live');

	// From here on: keys only.
	await page.keyboard.type('98765 43210');
	await page.keyboard.press('Tab');
	await expect(form.getByRole('combobox', { name: 'District' })).toBeFocused();
	await page.keyboard.type('pun');
	await expect(
		form.getByRole('listbox', { name: 'District' }).getByRole('option').first()
	).toHaveText(/Pune/);
	await page.keyboard.press('Tab');
	await expect(form.getByRole('combobox', { name: 'District' })).toHaveValue('Pune');

	const siteBox = form.getByRole('combobox', { name: 'Site' });
	await expect(siteBox).toBeFocused();
	await page.keyboard.type(letters);
	const options = form.getByRole('listbox', { name: 'Site' }).getByRole('option');
	await expect(options.first()).toBeVisible();
	// Arrow to the site (usually the first match already), then Enter takes it.
	for (let i = 0; i < 8; i++) {
		const active = await siteBox.getAttribute('aria-activedescendant');
		const text = active ? await page.locator(`#${active} .label`).innerText() : '';
		if (text === site!.name) break;
		await page.keyboard.press('ArrowDown');
	}
	await page.keyboard.press('Enter');
	await expect(siteBox).toHaveValue(site!.name);

	// The site's live context is on screen while the caller is on the line.
	const context = page.locator(`section.context[data-site="${site!.code}"]`);
	await expect(context.getByRole('heading', { name: site!.name })).toBeVisible();
	await expect(context.getByRole('list', { name: 'What to tell the caller' })).toBeVisible();
	await expect(context.getByText('Registration', { exact: true })).toBeVisible();
	await expect(context.getByText('SMS today', { exact: true })).toBeVisible();

	await page.keyboard.press('Tab');
	await expect(form.getByLabel('What is it about?')).toBeFocused();
	await page.keyboard.type('OTP');
	await expect(form.getByLabel('What is it about?')).toHaveValue('otp_not_received');
	await page.keyboard.press('Tab'); // priority: normal
	await page.keyboard.press('Tab'); // came by: phone
	await page.keyboard.press('Tab');
	await expect(form.getByLabel('Notes')).toBeFocused();
	await page.keyboard.type('OTP never arrived; tried three times since 9');
	await page.screenshot({ path: 'test-results/helpdesk-intake.png', fullPage: true });
	await page.keyboard.press('Control+Enter');

	const filed = page.getByRole('status').filter({ hasText: 'Filed as' });
	await expect(filed).toBeVisible();
	const id = (await filed.getByRole('link').innerText()).trim();
	expect(id).toMatch(/^C-[0-9A-Z]{8}$/);
	// Ready for the next call.
	await expect(phone).toBeFocused();
	await expect(phone).toHaveValue('');

	// Filed as typed, and in the queue at once.
	const res = await page.request.get(`${server.url}/api/v1/complaints/${id}`);
	const { complaint } = (await res.json()) as { complaint: ComplaintView };
	expect(complaint).toMatchObject({
		channel: 'phone',
		category: 'otp_not_received',
		siteCode: site!.code,
		districtCode: PUNE,
		callerPhone: '+919876543210',
		priority: 'normal',
		status: 'new',
		notes: 'OTP never arrived; tried three times since 9',
		createdBy: HELPDESK
	});
	await expect(page.locator(`tr[data-complaint="${id}"]`)).toBeVisible();
});

test("an officer's overview shows a complaint spike after a burst", async ({ page }) => {
	const district = snapshot.districts.find((d) => d.code !== PUNE)!;
	const sites = snapshot.sites.filter((s) => s.districtCode === district.code);
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page, OFFICER);
	const alerts = page.getByRole('region', { name: /Open alerts/ });
	await expect(alerts).toBeVisible();

	const burst = Array.from({ length: 20 }, (_, i) => ({
		channel: 'whatsapp',
		category: 'sms_not_received',
		siteCode: sites[i % sites.length].code
	}));
	const res = await post('/api/v1/complaints', burst);
	expect(res.status).toBe(200);
	expect(await res.json()).toMatchObject({ accepted: 20, rejected: [] });

	const spike = alerts.getByText(
		`20 complaints of SMS not received from ${district.name} in 15 min`
	);
	await expect(spike).toBeVisible();
	await expect(alerts.getByText('Complaints', { exact: true }).first()).toBeVisible();
	await page.screenshot({ path: 'test-results/helpdesk-spike-overview.png' });
});

test('an SLA breach is marked in the queue, in words as well as colour', async ({ page }) => {
	const site = snapshot.sites.find((s) => s.districtCode === PUNE)!;
	const fiveHoursAgo = new Date(Date.now() - 5 * 3_600_000).toISOString();
	const res = await post('/api/v1/complaints', [
		{
			id: 'e2e-late-1',
			at: fiveHoursAgo,
			channel: 'web',
			category: 'long_queue',
			siteCode: site.code
		},
		{ id: 'e2e-fresh-1', channel: 'web', category: 'long_queue', siteCode: site.code }
	]);
	expect((await res.json()).accepted).toBe(2);

	await page.setViewportSize({ width: 1400, height: 1000 });
	await signIn(page, HELPDESK);
	await page.goto(`${server.url}/helpdesk`, { waitUntil: 'networkidle' });
	const late = page.locator('tr[data-complaint="e2e-late-1"]');
	const fresh = page.locator('tr[data-complaint="e2e-fresh-1"]');
	await expect(late).toHaveClass(/breached/);
	await expect(late.locator('[data-sla]')).toHaveAttribute('data-sla', 'breached');
	await expect(late.locator('[data-sla]')).toContainText(/SLA breached 1 h \d\d min ago/);
	await expect(fresh).not.toHaveClass(/breached/);
	await expect(fresh.locator('[data-sla]')).toContainText(/Due in 3 h/);
	// Soonest due first: the breached one leads.
	const ids = await page
		.locator('tr[data-complaint]')
		.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-complaint')));
	expect(ids.indexOf('e2e-late-1')).toBeLessThan(ids.indexOf('e2e-fresh-1'));
	await expect(page.getByText(/past their SLA/).first()).toBeVisible();
	await late.scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/helpdesk-queue.png', fullPage: true });

	// And on a phone: nothing scrolls the page sideways.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(`${server.url}/helpdesk`, { waitUntil: 'networkidle' });
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'test-results/helpdesk-390.png', fullPage: true });
});
