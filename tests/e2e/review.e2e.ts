/**
 * The progress review in Chromium: a week of doses (late paper records included) over the
 * demo state, targets loaded with the admin command; the page draws its charts, its
 * table equals the CSV download, targets are edited in place, and the printable report
 * becomes a PDF that names every district.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import type { Snapshot } from '../../src/lib/shared/live';
import { addDays, localDate, zonedTime } from '../../src/lib/shared/time';
import { canvasPixels, signInWithForm, startServer, type TestServer } from './harness';

const TZ = 'Asia/Kolkata';
const PASSWORD = 'correct horse battery';
const SECRETARY = 'secretary';
const OFFICER = 'state.officer';
const PUNE = '521';

// Tests share one server and build on each other's data: a retry re-runs the file from the
// start, on a fresh server.
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let token: string;
let work: string;
let today: string;
let from: string;
let districts: { code: string; name: string }[];

const run = promisify(execFile);

async function post(path: string, body: unknown) {
	const res = await fetch(`${server.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	const answer = await res.json();
	expect(res.status, JSON.stringify(answer)).toBe(200);
	expect(answer.rejected, JSON.stringify(answer.rejected)).toEqual([]);
	return answer;
}

/** A small deterministic generator (mulberry32), so the week looks the same every run. */
function generator(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

test.beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'ldcc-review-e2e-'));
	server = await startServer();
	await server.admin(['load-demo']);
	for (const [username, role, name] of [
		[SECRETARY, 'secretary', 'Meera Kulkarni'],
		[OFFICER, 'state_officer', 'Asha Patil']
	]) {
		await server.admin(
			['create-user', '--username', username, '--role', role, '--display-name', name],
			`${PASSWORD}\n`
		);
	}
	const out = await server.admin(['create-token', '--name', 'e2e', '--scope', 'ingest,read']);
	token = out.trim().split('\n').at(-1)!.trim();
	const snapshot = (await (
		await fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${token}` } })
	).json()) as Snapshot;
	districts = snapshot.districts.map((d) => ({ code: d.code, name: d.name }));

	// A week ending today: two sites a district, sessions 09:00–17:00, doses through the day.
	const now = new Date();
	today = localDate(now, TZ);
	from = addDays(today, -6);
	const random = generator(16012021);
	const sites = districts.flatMap((d) =>
		snapshot.sites.filter((s) => s.districtCode === d.code).slice(0, 2)
	);
	const sessions: Record<string, unknown>[] = [];
	const doses: Record<string, unknown>[] = [];
	const paper: Record<string, unknown>[] = [];
	const perDistrictDay = new Map<string, number>();
	for (let day = 0; day < 7; day++) {
		const date = addDays(from, day);
		const dayStart = zonedTime(date, '09:00', TZ).getTime();
		for (const site of sites) {
			if (day < 6) {
				sessions.push({
					sessionId: `E2E-${site.code}-${date}`,
					siteCode: site.code,
					date,
					capacity: 100,
					startsAt: zonedTime(date, '09:00', TZ).toISOString(),
					endsAt: zonedTime(date, '17:00', TZ).toISOString()
				});
			}
			const count = Math.floor(random() * 40);
			for (let i = 0; i < count; i++) {
				const at = dayStart + Math.floor(random() * 8 * 3_600_000);
				if (at > now.getTime()) continue;
				const dose = {
					id: `e2e-${site.code}-${date}-${i}`,
					siteCode: site.code,
					occurredAt: new Date(at).toISOString(),
					vaccine: random() < 0.7 ? 'COVISHIELD' : 'COVAXIN',
					dose: random() < 0.8 ? 1 : 2,
					beneficiaryRef: `E2E-${site.code}-${date}-${i}`,
					// Some sites kept paper registers, uploaded at the end of the week.
					source: site.districtCode === PUNE && day === 2 ? 'backfill' : 'live'
				};
				(dose.source === 'backfill' ? paper : doses).push(dose);
				const key = `${site.districtCode}|${date}`;
				perDistrictDay.set(key, (perDistrictDay.get(key) ?? 0) + 1);
			}
		}
	}
	// Appointment SMS: delivery falls off mid-week (the gateway's bad days) and recovers.
	const messages: Record<string, unknown>[] = [];
	const reports: Record<string, unknown>[] = [];
	for (let day = 0; day < 7; day++) {
		const date = addDays(from, day);
		const sentAt = zonedTime(date, '07:00', TZ).toISOString();
		for (const site of sites.slice(0, 20)) {
			for (let i = 0; i < 10; i++) {
				const messageId = `e2e-sms-${site.code}-${date}-${i}`;
				messages.push({
					messageId,
					beneficiaryRef: `E2E-${site.code}-${date}-${i}`,
					siteCode: site.code,
					kind: 'appointment',
					sentAt
				});
				const delivered = random() < (day === 2 || day === 3 ? 0.35 : 0.9);
				reports.push({ messageId, status: delivered ? 'delivered' : 'failed', at: sentAt });
			}
		}
	}
	await post('/api/v1/sms/messages', messages);
	await post('/api/v1/sms/reports', reports);
	await post('/api/v1/sessions', sessions);
	for (let i = 0; i < doses.length; i += 500) await post('/api/v1/doses', doses.slice(i, i + 500));
	await post('/api/v1/doses', paper);

	// Targets by the admin command: around what each district managed, so they rank apart.
	const lines = ['district,date,target,registered'];
	for (const d of districts) {
		const registered = 20000 + Math.floor(random() * 30000);
		for (let day = 0; day < 7; day++) {
			const date = addDays(from, day);
			const done = perDistrictDay.get(`${d.code}|${date}`) ?? 0;
			const target = Math.max(10, Math.round(done * (0.6 + random() * 0.9)));
			lines.push(`${d.code},${date},${target},${day === 0 ? registered : ''}`);
		}
	}
	const file = join(work, 'targets.csv');
	await writeFile(file, lines.join('\n'));
	expect(await server.admin(['import-targets', file])).toContain(
		`imported ${districts.length * 7} district-day rows`
	);
});

test.afterAll(async () => {
	await server?.stop();
	if (work) await rm(work, { recursive: true, force: true });
});

async function signIn(page: Page, username: string) {
	await signInWithForm(page, server.url, username, PASSWORD);
}

const digits = (text: string) => (text.trim() === '—' ? '' : text.replace(/[^\d]/g, ''));

test('the review draws its charts, and its table is the CSV download', async ({ page }) => {
	await page.setViewportSize({ width: 1600, height: 1100 });
	await signIn(page, SECRETARY);
	await page.getByRole('link', { name: 'Review', exact: true }).click();
	await expect(page).toHaveURL(`${server.url}/review`);
	await expect(page.getByRole('heading', { name: 'Progress review' })).toBeVisible();
	// A secretary reads; the targets editor is for officers.
	await expect(page.getByRole('heading', { name: 'Targets and registered counts' })).toHaveCount(0);

	// Hourly today against plan, daily over the range, the ranking, SMS: each drew its bars.
	const accent: [number, number, number] = [10, 85, 150];
	for (const chart of ['hourly', 'daily']) {
		const canvas = `[data-chart="${chart}"] canvas`;
		await expect(page.locator(canvas)).toBeVisible();
		await expect
			.poll(async () => (await canvasPixels(page, canvas, accent)).matching, { message: chart })
			.toBeGreaterThan(200);
	}
	const ranking = await canvasPixels(page, '[data-chart="ranking"] canvas', [8, 81, 156]);
	expect(ranking.drawn).toBeGreaterThan(1000);
	await expect(page.locator('svg path[data-district]')).toHaveCount(districts.length);

	// The kpi equals the sum of the CSV, which is what the table below shows.
	const csvResponse = await page.request.get(
		`${server.url}/api/v1/review?from=${from}&to=${today}&format=csv`
	);
	expect(csvResponse.status()).toBe(200);
	const csv = parse(await csvResponse.text(), { columns: true }) as Record<string, string>[];
	expect(csv).toHaveLength(districts.length * 7);
	const total = csv.reduce((sum, r) => sum + Number(r.doses), 0);
	expect(digits(await page.locator('[data-kpi="doses"]').innerText())).toBe(String(total));

	// The download link on the page is the same document.
	const download = page.locator('[data-export="csv"]');
	const href = await download.getAttribute('href');
	expect(await (await page.request.get(`${server.url}${href}`)).text()).toBe(
		await csvResponse.text()
	);

	await page.screenshot({ path: 'test-results/review.png', fullPage: true });

	await page.getByRole('heading', { name: 'Every district, every day' }).click();
	const rows = page.locator('table[data-table="district-days"] tbody tr');
	await expect(rows).toHaveCount(csv.length);
	const shown = await rows.evaluateAll((trs) =>
		trs.map((tr) => {
			const cells: Record<string, string> = {};
			for (const cell of tr.querySelectorAll<HTMLElement>('[data-col]')) {
				const own = cell.dataset.value ?? cell.childNodes[0]?.textContent ?? cell.innerText;
				cells[cell.dataset.col!] = own;
			}
			return cells;
		})
	);
	expect(
		shown.map((r) =>
			Object.fromEntries(
				Object.entries(r).map(([k, v]) => [k, k === 'district' || k === 'date' ? v : digits(v)])
			)
		)
	).toEqual(csv);
});

test('the review fits a phone', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await signIn(page, SECRETARY);
	await page.goto(`${server.url}/review?from=${from}&to=${today}`);
	await expect(page.locator('[data-chart="daily"] canvas')).toBeVisible();
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'test-results/review-390.png', fullPage: true });
});

test('a state officer edits a target in place and the review follows', async ({ page }) => {
	await signIn(page, OFFICER);
	await page.goto(`${server.url}/review?from=${today}&to=${today}&district=${PUNE}`);
	const editor = page.getByRole('region', { name: 'Targets and registered counts' });
	await expect(editor).toBeVisible();
	await editor.getByLabel('Target for Pune').fill('1,234');
	await editor.getByRole('button', { name: /^Save/ }).click();
	await expect(editor.getByRole('status')).toContainText('Saved 1 district');
	await expect(
		page
			.locator(`table:not([data-table]) tr[data-district="${PUNE}"] td[data-col="target"]`)
			.first()
	).toContainText('1,234');

	// A wrong upload imports nothing and says which line.
	const bad = join(work, 'bad.csv');
	await writeFile(bad, `district,date,target\n${PUNE},${today},12\nAtlantis,${today},5\n`);
	await editor.getByLabel('Upload a CSV').setInputFiles(bad);
	await editor.getByRole('button', { name: 'Import' }).click();
	await expect(editor.getByRole('status')).toContainText('Line 3: district: unknown district');
	await expect(editor.getByLabel('Target for Pune')).toHaveValue('1234');
});

test('the report prints to a readable PDF, a section per district', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 1000 });
	await signIn(page, SECRETARY);
	await page.goto(`${server.url}/review?from=${from}&to=${today}`);
	await page.locator('[data-export="print-by-district"]').click();
	await expect(page.locator('[data-report]')).toBeVisible();
	await expect(page.locator('[data-district-section]')).toHaveCount(districts.length);
	await expect
		.poll(
			async () => (await canvasPixels(page, '[data-chart="daily"] canvas', [10, 85, 150])).matching
		)
		.toBeGreaterThan(200);

	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
	await expect(page.locator('.app-header')).toBeHidden();
	// Every table fits across the paper (a wider one would shrink the whole page to fit).
	const widths = await page.evaluate(() => ({
		report: document.querySelector('[data-report]')!.getBoundingClientRect().width,
		widest: Math.max(
			...[...document.querySelectorAll('[data-report] table')].map(
				(t) => t.getBoundingClientRect().width
			)
		)
	}));
	expect(widths.widest).toBeLessThanOrEqual(widths.report + 1);
	const pdfPath = join('test-results', 'review-report.pdf');
	const pdf = await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
	expect(pdf.byteLength).toBeGreaterThan(20_000);
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

	// What prints: every district has its section, visible on paper.
	for (const d of districts) {
		await expect(page.locator(`[data-district-section="${d.code}"] h2`)).toHaveText(d.name);
	}

	// The PDF's own text (poppler's pdftotext; .ci/run installs it) names them too.
	if (await hasPoppler()) {
		const { stdout: text } = await run('pdftotext', ['-layout', pdfPath, '-']);
		expect(text).toContain('Progress review');
		for (const d of districts) expect(text, d.name).toContain(d.name);
		const { stdout: info } = await run('pdfinfo', [pdfPath]);
		// The summary, then a page (at least) per district.
		expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThan(districts.length);
	}
});

async function hasPoppler(): Promise<boolean> {
	try {
		await run('pdftotext', ['-v']);
		return true;
	} catch {
		return false; // not installed: the DOM checks above still ran
	}
}
