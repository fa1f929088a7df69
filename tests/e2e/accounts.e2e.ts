/**
 * Accounts, roles and audit against the real production server: sign-in through /login,
 * lockout, the admin and audit pages per role, revocation through the admin page, and
 * what a district officer and a secretary see.
 */
import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test';
import { signInWithForm, startServer, type TestServer } from './harness';

const PASSWORD = 'correct horse battery';
const PUNE = '521';

type Role = 'admin' | 'state_officer' | 'district_officer' | 'secretary' | 'helpdesk';
const people: Record<Role, string> = {
	admin: 'e2e.admin',
	state_officer: 'e2e.state',
	district_officer: 'e2e.pune',
	secretary: 'e2e.secretary',
	helpdesk: 'e2e.helpdesk'
};

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;

async function createUser(username: string, role: string, districts: string[] = []) {
	await server.admin(
		[
			'create-user',
			'--username',
			username,
			'--role',
			role,
			...districts.flatMap((d) => ['--district', d])
		],
		`${PASSWORD}\n`
	);
}

test.beforeAll(async () => {
	server = await startServer();
	await server.admin(['load-demo']);
	for (const [role, username] of Object.entries(people) as [Role, string][]) {
		await createUser(username, role, role === 'district_officer' ? [PUNE] : []);
	}
});

test.afterAll(async () => {
	await server?.stop();
});

/** A script's view: a cookie jar signed in through the real /login form post. */
async function signedIn(username: string, password = PASSWORD): Promise<APIRequestContext> {
	const ctx = await request.newContext({
		baseURL: server.url,
		extraHTTPHeaders: { origin: server.url }
	});
	const res = await ctx.post('/login', {
		form: { username, password },
		maxRedirects: 0
	});
	if (res.status() !== 303) {
		throw new Error(`sign-in of ${username}: ${res.status()} ${(await res.text()).slice(0, 2000)}`);
	}
	return ctx;
}

async function signInPage(page: Page, username: string) {
	await signInWithForm(page, server.url, username, PASSWORD);
}

test.describe('who may open the admin and audit pages', () => {
	/** 200: allowed; 403: signed in without the right. */
	const expected: Record<Role, { admin: number; audit: number }> = {
		admin: { admin: 200, audit: 200 },
		state_officer: { admin: 403, audit: 200 },
		district_officer: { admin: 403, audit: 403 },
		secretary: { admin: 403, audit: 403 },
		helpdesk: { admin: 403, audit: 403 }
	};

	for (const [role, want] of Object.entries(expected) as [Role, (typeof expected)[Role]][]) {
		test(`${role}: admin ${want.admin}, audit ${want.audit}`, async () => {
			const ctx = await signedIn(people[role]);
			for (const path of ['/admin', '/admin/users', '/admin/tokens']) {
				const res = await ctx.get(path);
				expect(res.status(), path).toBe(want.admin);
			}
			// The admin pages' form actions are refused the same way (not only their loads).
			// As a browser without JavaScript posts a form: the answer's status is the action's.
			const html = { accept: 'text/html' };
			const create = await ctx.post('/admin/users?/create', {
				headers: html,
				form: {
					username: `made-by-${role.replace('_', '-')}`,
					role: 'helpdesk',
					password: PASSWORD,
					confirm: PASSWORD
				}
			});
			expect(create.status(), 'create a person').toBe(want.admin);
			const revoke = await ctx.post('/admin/tokens?/revoke', {
				headers: html,
				form: { id: '00000000-0000-4000-8000-000000000000' }
			});
			// An administrator is told there is no such token; anyone else is refused.
			expect(revoke.status(), 'revoke a token').toBe(want.admin === 200 ? 404 : 403);

			for (const path of ['/audit', '/audit/export.csv']) {
				const res = await ctx.get(path);
				expect(res.status(), path).toBe(want.audit);
			}
			await ctx.dispose();
		});
	}

	test('signed out, or with only an API token: every page sends you to sign in', async () => {
		const out = await server.admin(['create-token', '--name', 'pages', '--scope', 'ingest,read']);
		const token = out.trim().split('\n').at(-1)!;
		const signedOut: Record<string, string> = {};
		for (const headers of [signedOut, { authorization: `Bearer ${token}` }]) {
			const ctx = await request.newContext({ baseURL: server.url, extraHTTPHeaders: headers });
			for (const path of ['/admin/users', '/admin/tokens', '/audit', '/audit/export.csv']) {
				const res = await ctx.get(path, { maxRedirects: 0 });
				expect(res.status(), path).toBe(303);
				expect(res.headers().location).toMatch(/^\/login/);
			}
			await ctx.dispose();
		}
	});

	test('only the administrator’s create action made a person', async () => {
		// A fresh cookie jar for each attempt: a signed-in jar is sent away from /login.
		const signIn = async (username: string) => {
			const ctx = await request.newContext({
				baseURL: server.url,
				extraHTTPHeaders: { origin: server.url }
			});
			const res = await ctx.post('/login', {
				form: { username, password: PASSWORD },
				maxRedirects: 0
			});
			await ctx.dispose();
			return res.status();
		};
		expect(await signIn('made-by-admin')).toBe(303);
		for (const role of ['state-officer', 'district-officer', 'secretary', 'helpdesk']) {
			expect(await signIn(`made-by-${role}`), role).toBe(400);
		}
	});
});

test.describe('sign-in', () => {
	test('sets an HttpOnly, SameSite session cookie that sign-out ends on the server', async () => {
		const ctx = await signedIn(people.helpdesk);
		const { cookies } = await ctx.storageState();
		const session = cookies.find((c) => c.name === 'cc_session');
		expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
		expect((await ctx.get('/api/v1/snapshot')).status()).toBe(200);

		const out = await ctx.post('/logout', { maxRedirects: 0 });
		expect(out.status()).toBe(303);
		// The old cookie, replayed as it was, no longer works.
		const replay = await request.newContext({
			baseURL: server.url,
			extraHTTPHeaders: { cookie: `cc_session=${session!.value}` }
		});
		expect((await replay.get('/api/v1/snapshot')).status()).toBe(401);
		await replay.dispose();
		await ctx.dispose();
	});

	test('slows and then locks brute force; the right password is refused while locked', async () => {
		const username = 'e2e.target';
		await createUser(username, 'helpdesk');
		const ctx = await request.newContext({
			baseURL: server.url,
			extraHTTPHeaders: { origin: server.url }
		});
		const attempt = (password: string) =>
			ctx.post('/login', { form: { username, password }, maxRedirects: 0 });

		const answers: { status: number; text: string }[] = [];
		for (let i = 0; i < 6; i++) {
			const res = await attempt(`wrong password ${i}`);
			answers.push({ status: res.status(), text: await res.text() });
		}
		for (const a of answers.slice(0, 4)) {
			expect(a.status).toBe(400);
			expect(a.text).toContain('Wrong username or password.');
		}
		for (const a of answers.slice(4)) {
			expect(a.status).toBe(429);
			expect(a.text).toMatch(/Too many failed attempts\. This account is locked until/);
		}

		const right = await attempt(PASSWORD);
		expect(right.status()).toBe(429);
		expect(right.headers()['retry-after']).toMatch(/^\d+$/);
		expect(await right.text()).toMatch(/locked until/);
		expect((await ctx.storageState()).cookies.find((c) => c.name === 'cc_session')).toBeUndefined();

		// Each refusal is in the audit log, with where it came from.
		const auditor = await signedIn(people.state_officer);
		const csv = await (await auditor.get('/audit/export.csv?action=auth.locked')).text();
		expect(csv).toContain('auth.locked');
		expect(csv).toContain('127.0.0.1');
		await auditor.dispose();
		await ctx.dispose();
	});
});

test('an administrator creates a district officer, a token, and revokes both at once', async ({
	browser
}) => {
	const adminContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
	const page = await adminContext.newPage();
	const problems: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(m.text());
	});
	await signInPage(page, people.admin);

	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
	await expect(page).toHaveURL(`${server.url}/admin/users`);

	// A district officer for Nashik, chosen through the district picker.
	await page.getByLabel('Username').fill('nashik.officer');
	await page.getByLabel('Full name').fill('Nashik DIO');
	await page.getByLabel('Role').selectOption('district_officer');
	await page.getByPlaceholder('Find a district').fill('nash');
	await page.getByRole('checkbox', { name: /Nashik/ }).check();
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Password again').fill(PASSWORD);
	await page.getByRole('button', { name: 'Add person' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Added nashik.officer' })).toBeVisible();
	const row = page.getByRole('row').filter({ hasText: 'nashik.officer' });
	await expect(row).toContainText('District officer');
	await expect(row).toContainText('Nashik');

	// A mistake is explained and loses nothing typed.
	await page.getByLabel('Username').fill('nashik.officer');
	await page.getByLabel('Role').selectOption('secretary');
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByLabel('Password again').fill(PASSWORD);
	await page.getByRole('button', { name: 'Add person' }).click();
	await expect(page.getByText('nashik.officer already exists')).toBeVisible();
	await expect(page.getByLabel('Username')).toHaveValue('nashik.officer');

	// The new officer signs in elsewhere and holds a live page open.
	const officerContext = await browser.newContext();
	const officerPage = await officerContext.newPage();
	await signInPage(officerPage, 'nashik.officer');
	await expect(officerPage.locator('tr[data-district]')).toHaveCount(1);
	await page.reload();
	await expect(page.getByRole('row').filter({ hasText: 'nashik.officer' })).toContainText(
		'1 signed in'
	);

	// Sign them out everywhere from the admin page: the next request and the socket stop.
	page.once('dialog', (d) => void d.accept());
	await page
		.getByRole('row')
		.filter({ hasText: 'nashik.officer' })
		.getByRole('button', { name: 'Sign out everywhere' })
		.click();
	await expect(
		page.getByRole('status').filter({ hasText: 'Signed nashik.officer out' })
	).toBeVisible();
	const officerApi = officerContext.request;
	expect((await officerApi.get(`${server.url}/api/v1/snapshot`)).status()).toBe(401);
	const link = officerPage.locator('[data-connection]');
	await expect(link).toHaveAttribute('title', /Disconnected by the server/);
	await expect(link).not.toHaveAttribute('data-connection', 'live');
	await officerPage.reload();
	await expect(officerPage).toHaveURL(/\/login/);

	// A token: shown once, works, then revoked from the page and refused at once.
	await page.getByRole('link', { name: 'API tokens' }).click();
	await expect(page).toHaveURL(`${server.url}/admin/tokens`);
	await page.getByLabel('Name').fill('e2e gateway');
	await page.getByRole('checkbox', { name: /read/ }).check();
	await page.getByRole('button', { name: 'Create token' }).click();
	const shown = page.locator('#new-token');
	await expect(shown).toBeVisible();
	const token = await shown.inputValue();
	expect(token).toMatch(/^cc_/);
	const api = (t: string) =>
		fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${t}` } });
	expect((await api(token)).status).toBe(200);
	await page.reload();
	await expect(page.locator('#new-token')).toHaveCount(0);
	const tokenRow = page.getByRole('row').filter({ hasText: 'e2e gateway' });
	await expect(tokenRow).toContainText('ingest, read');
	await expect(tokenRow).not.toContainText('never');

	page.once('dialog', (d) => void d.accept());
	await tokenRow.getByRole('button', { name: /Revoke/ }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Revoked e2e gateway' })).toBeVisible();
	expect((await api(token)).status).toBe(401);

	// Every one of those changes is in the audit log.
	await page.getByRole('link', { name: 'Audit log' }).click();
	for (const action of ['user.create', 'user.revoke_sessions', 'token.create', 'token.revoke']) {
		await expect(page.locator('code', { hasText: action }).first()).toBeVisible();
	}
	await page.getByLabel('Action').selectOption('token.revoke');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await expect(page).toHaveURL(/action=token\.revoke/);
	await expect(page.locator('tbody tr')).toHaveCount(1);
	await expect(page.locator('tbody tr')).toContainText(people.admin);

	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download CSV' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
	const csv = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
	const lines = csv.trim().split(/\r\n/);
	expect(lines[0]).toBe('id,at,actor,action,target,ip,detail');
	expect(lines.slice(1).every((l) => l.includes('token.revoke'))).toBe(true);
	expect(lines).toHaveLength(2);

	expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
	await officerContext.close();
	await adminContext.close();
});

test('a district officer sees only its district', async ({ page }) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signInPage(page, people.district_officer);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pune overview');
	const rows = page.locator('tr[data-district]');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toHaveAttribute('data-district', PUNE);
	await expect(rows.first().locator('th')).toHaveText('Pune');
	const sites = page.locator('tr[data-site] td.district');
	await expect(sites.first()).toBeVisible();
	for (const text of await sites.allInnerTexts()) expect(text.trim()).toBe('Pune');
	await expect(page.getByText('Nagpur')).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
});

test('a secretary finds no control that changes anything', async ({ page }) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signInPage(page, people.secretary);
	await expect(page.locator('tr[data-district]').first()).toBeVisible();
	await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

	// The only form that posts anything is sign-out.
	const posting = page.locator('form[method="POST" i]');
	await expect(posting).toHaveCount(1);
	await expect(posting).toHaveAttribute('action', '/logout');

	// Every other enabled control only changes the view: sorting, filtering, showing more.
	const controls = page.locator(
		'button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])'
	);
	const described = await controls.evaluateAll((elements) =>
		elements.map((el) => ({
			tag: el.tagName.toLowerCase(),
			type: (el as HTMLInputElement | HTMLButtonElement).type,
			inSignOut: !!el.closest('form[action="/logout"]'),
			inForm: !!el.closest('form'),
			label: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60)
		}))
	);
	expect(described.length).toBeGreaterThan(0);
	for (const control of described) {
		if (control.inSignOut) {
			expect(control.label).toBe('Sign out');
			continue;
		}
		expect(control.inForm, JSON.stringify(control)).toBe(false);
		expect(control.type, JSON.stringify(control)).not.toBe('submit');
	}
});

test('pages carry a Content-Security-Policy that lets the app run', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
	});
	await signInPage(page, people.state_officer);
	const res = await page.goto(`${server.url}/`);
	const csp = res!.headers()['content-security-policy'];
	expect(csp).toMatch(/script-src 'self' 'nonce-/);
	expect(csp).toContain("worker-src 'self' blob:");
	expect(csp).toContain("frame-ancestors 'none'");
	await expect(page.locator('tr[data-district]').first()).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Connection:' })).toContainText('Live');
	expect(violations).toEqual([]);
});
