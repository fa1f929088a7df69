/**
 * The map's frame time in headless Chromium while 10,000 sites update every second.
 *
 * The real production server serves the pages, the district shapes and the sign-in; the
 * live feed is replaced (Playwright's WebSocket routing speaks Socket.IO's wire format)
 * by one that sends a snapshot of `sites` synthetic sites and then, every second, a delta
 * in which every site changes status and every district its throughput. The page applies
 * them as it would the server's (rune store → map feature-state and source diffs), and
 * requestAnimationFrame intervals are recorded: the frame time a watcher sees.
 *
 * Run alone with `npx tsx bench/map.ts` (after `npm run build`), or call benchMap().
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium, type Page, type WebSocketRoute } from '@playwright/test';
import type { Delta, DistrictLive, SiteLive, SiteStatus, Snapshot } from '../src/lib/shared/live';
import { startServer } from '../tests/e2e/harness';

export interface MapBenchOptions {
	/** Sites on the map (default 10,000). */
	sites?: number;
	/** Seconds measured, after a warm-up (default 20). */
	seconds?: number;
	/**
	 * The overview as laptops show it, the wall display (?wall=1), and the wall display with
	 * no updates at all (the machine's own frame time, for reference). Default: all three.
	 */
	views?: MapView[];
	width?: number;
	height?: number;
}

export type MapView = 'overview' | 'wall' | 'wall-without-updates';

export interface MapViewResult {
	view: MapView;
	/** Frames drawn in the measured window. */
	frames: number;
	/** Time between frames (requestAnimationFrame), in ms. */
	frameMs: { median: number; p95: number; max: number };
	/** Frames longer than 50 ms (a visible stutter). */
	framesOver50Ms: number;
	/** Main-thread tasks longer than 50 ms (PerformanceObserver 'longtask'). */
	longTasks: number;
	/** Deltas sent in the measured window; each changed every site. */
	deltas: number;
	/**
	 * How long after the last delta its dose total was on screen (the page's lag behind the
	 * feed when the run ended); null: not within 15 s.
	 */
	catchUpMs: number | null;
}

export interface MapBenchResult {
	sites: number;
	seconds: number;
	siteUpdatesPerSecond: number;
	/** The WebGL renderer Chromium used (SwiftShader: the CPU, no GPU). */
	renderer: string;
	viewport: string;
	/** CPUs and load average: other work on the machine lengthens every frame. */
	machine: { cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
	views: MapViewResult[];
}

const USERNAME = 'bench.map';
const PASSWORD = 'correct horse battery';
const statuses: SiteStatus[] = ['active', 'idle', 'stalled', 'manual', 'closed'];

type Ring = number[][];

function inside(point: number[], ring: Ring): boolean {
	let hit = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (
			yi > point[1] !== yj > point[1] &&
			point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi
		)
			hit = !hit;
	}
	return hit;
}

/** A deterministic pseudo-random sequence, so every run places the sites alike. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Sites spread over the districts' own shapes. */
function makeSites(count: number, shapes: { code: string; ring: Ring }[], now: Date): SiteLive[] {
	const next = random(42);
	return Array.from({ length: count }, (_, i) => {
		const { code, ring } = shapes[i % shapes.length];
		let w = Infinity;
		let s = Infinity;
		let e = -Infinity;
		let n = -Infinity;
		for (const [x, y] of ring) {
			w = Math.min(w, x);
			e = Math.max(e, x);
			s = Math.min(s, y);
			n = Math.max(n, y);
		}
		let at = [(w + e) / 2, (s + n) / 2];
		for (let tries = 0; tries < 50; tries++) {
			const p = [w + next() * (e - w), s + next() * (n - s)];
			if (inside(p, ring)) {
				at = p;
				break;
			}
		}
		return {
			code: `BM${String(i).padStart(5, '0')}`,
			name: `Bench site ${i}`,
			districtCode: code,
			status: statuses[i % statuses.length],
			dosesToday: 0,
			lastDoseAt: null,
			lastHeartbeatAt: now.toISOString(),
			lat: at[1],
			lon: at[0]
		};
	});
}

function totals(districts: DistrictLive[]) {
	return {
		dosesToday: districts.reduce((n, d) => n + d.dosesToday, 0),
		sitesActive: districts.reduce((n, d) => n + d.sitesActive, 0),
		sitesStalled: districts.reduce((n, d) => n + d.sitesStalled, 0),
		sitesManual: districts.reduce((n, d) => n + d.sitesManual, 0),
		smsFailedToday: 0
	};
}

function countStatuses(districts: DistrictLive[], sites: SiteLive[]): DistrictLive[] {
	const by = new Map(
		districts.map((d) => [
			d.code,
			{ ...d, sitesActive: 0, sitesIdle: 0, sitesStalled: 0, sitesManual: 0, sitesClosed: 0 }
		])
	);
	const key = {
		active: 'sitesActive',
		idle: 'sitesIdle',
		stalled: 'sitesStalled',
		manual: 'sitesManual',
		closed: 'sitesClosed'
	} as const;
	for (const s of sites) {
		const d = by.get(s.districtCode);
		if (d) d[key[s.status]]++;
	}
	return [...by.values()];
}

/** Socket.IO (Engine.IO v4) over the routed WebSocket: open, connect, then events. */
function serveFeed(
	ws: WebSocketRoute,
	snapshot: () => Snapshot,
	onConnect: (send: (d: Delta) => void) => void
) {
	ws.send(
		'0' +
			JSON.stringify({
				sid: 'bench',
				upgrades: [],
				// No pings during the run: nothing but the feed on the wire.
				pingInterval: 600_000,
				pingTimeout: 600_000,
				maxPayload: 100_000_000
			})
	);
	ws.onMessage((message) => {
		const text = String(message);
		if (text.startsWith('40')) {
			ws.send('40' + JSON.stringify({ sid: 'bench-socket' }));
			ws.send('42' + JSON.stringify(['snapshot', snapshot()]));
			onConnect((delta) => ws.send('42' + JSON.stringify(['delta', delta])));
		}
	});
}

/**
 * Run in the page: requestAnimationFrame intervals for `ms`, and long tasks. A string, not
 * a function: tsx would wrap a function's inner arrows in a helper the page does not have.
 */
const MEASURE = `async (ms) => {
	const frames = [];
	let longTasks = 0;
	const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
	try { observer.observe({ type: 'longtask', buffered: false }); } catch { /* not reported here */ }
	await new Promise((done) => {
		const end = performance.now() + ms;
		let last = performance.now();
		function frame(t) {
			frames.push(t - last);
			last = t;
			if (t < end) requestAnimationFrame(frame);
			else done();
		}
		requestAnimationFrame(frame);
	});
	observer.disconnect();
	return { frames: frames.slice(1), longTasks };
}`;

async function signIn(page: Page, url: string) {
	await page.goto(`${url}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('Username').fill(USERNAME);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${url}/`);
}

export async function benchMap(opts: MapBenchOptions = {}): Promise<MapBenchResult> {
	const siteCount = opts.sites ?? 10_000;
	const seconds = opts.seconds ?? 20;
	const views = opts.views ?? ['wall-without-updates', 'overview', 'wall'];
	const width = opts.width ?? 1920;
	const height = opts.height ?? 1080;
	if (!existsSync(resolve('build/handler.js'))) {
		throw new Error('the map bench needs the built app: run `npm run build` first');
	}

	const loadAverageAtStart = loadavg().map((l) => round(l, 2));
	const server = await startServer({ env: { LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '0' } });
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--enable-unsafe-swiftshader'
		]
	});
	try {
		await server.admin(['load-demo']);
		await server.admin(
			['create-user', '--username', USERNAME, '--role', 'state_officer'],
			`${PASSWORD}\n`
		);
		const token = (await server.admin(['create-token', '--name', 'bench-map', '--scope', 'read']))
			.trim()
			.split('\n')
			.at(-1)!
			.trim();
		const get = async <T>(path: string) =>
			(await (
				await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
			).json()) as T;
		const base = await get<Snapshot>('/api/v1/snapshot');
		const shapes = await get<{
			features: {
				properties: { code: string };
				geometry: { type: string; coordinates: unknown };
			}[];
		}>('/api/v1/districts/geometry');
		const rings = shapes.features.map((f) => ({
			code: f.properties.code,
			ring: (f.geometry.type === 'Polygon'
				? (f.geometry.coordinates as Ring[])[0]
				: (f.geometry.coordinates as Ring[][])[0][0]) as Ring
		}));

		const results: MapViewResult[] = [];
		let renderer = 'unknown';
		for (const view of views) {
			const now = new Date();
			let sites = makeSites(siteCount, rings, now);
			let districts = countStatuses(
				base.districts.map((d) => ({ ...d, capacityPerHour: 100, plannedToday: 1000 })),
				sites
			);
			let tick = 0;
			// What a (re)connecting page is sent first: the picture as it stands, at this seq.
			const snapshot = (): Snapshot => ({
				...base,
				seq: tick,
				epoch: 'bench',
				at: new Date().toISOString(),
				simulated: true,
				districts,
				sites,
				alerts: [],
				totals: totals(districts)
			});

			const perDistrict = new Map<string, number>();
			for (const s of sites)
				perDistrict.set(s.districtCode, (perDistrict.get(s.districtCode) ?? 0) + 1);
			const page = await browser.newPage({ viewport: { width, height } });
			let timer: ReturnType<typeof setInterval> | undefined;
			let lastDoses = 0;
			await page.routeWebSocket(/\/socket\.io\//, (ws) =>
				serveFeed(ws, snapshot, (send) => {
					clearInterval(timer);
					if (view === 'wall-without-updates') return;
					timer = setInterval(() => {
						tick++;
						const at = new Date().toISOString();
						// Every site changes: a new status (which moves its marker) and a dose.
						sites = sites.map((s, i) => ({
							...s,
							status: statuses[(i + tick) % statuses.length],
							dosesToday: s.dosesToday + 1,
							lastDoseAt: at
						}));
						// Every district's throughput moves through the bands.
						districts = countStatuses(
							districts.map((d, i) => ({
								...d,
								// One dose for each of the district's sites.
								dosesToday: d.dosesToday + (perDistrict.get(d.code) ?? 0),
								dosesLastHour: ((tick * 37 + i * 11) % 130) as number
							})),
							sites
						);
						const delta: Delta = {
							seq: tick,
							epoch: 'bench',
							at,
							day: base.day,
							totals: totals(districts),
							districts,
							sites
						};
						lastDoses = delta.totals.dosesToday;
						send(delta);
					}, 1000);
				})
			);
			await signIn(page, server.url);
			if (view !== 'overview') await page.goto(`${server.url}/?wall=1`);
			await page.locator('.map[data-state="ready"]').waitFor({ timeout: 60_000 });
			renderer = await page.evaluate(() => {
				const gl = document.createElement('canvas').getContext('webgl2');
				const info = gl?.getExtension('WEBGL_debug_renderer_info');
				return info && gl ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
			});
			// Warm-up: the first snapshot, the first tiles, a few deltas.
			await page.waitForTimeout(5_000);
			const before = tick;
			const measured = (await page.evaluate(`(${MEASURE})(${seconds * 1000})`)) as {
				frames: number[];
				longTasks: number;
			};
			const deltas = tick - before;
			clearInterval(timer);
			// How long after the last delta the page shows its total: how far it lags behind.
			const stoppedAt = Date.now();
			let catchUpMs: number | null = null;
			while (view !== 'wall-without-updates' && Date.now() - stoppedAt < 15_000) {
				const shown = await page
					.locator('[data-kpi="dosesToday"]')
					.first()
					.innerText()
					.catch(() => '');
				if (Number(shown.replace(/[^\d]/g, '')) === lastDoses) {
					catchUpMs = Date.now() - stoppedAt;
					break;
				}
				await page.waitForTimeout(100);
			}
			await page.close();

			const sorted = measured.frames.slice().sort((a, b) => a - b);
			results.push({
				view,
				frames: sorted.length,
				frameMs: {
					median: round(percentile(sorted, 50)),
					p95: round(percentile(sorted, 95)),
					max: round(sorted.at(-1) ?? 0)
				},
				framesOver50Ms: sorted.filter((f) => f > 50).length,
				longTasks: measured.longTasks,
				deltas,
				catchUpMs: view === 'wall-without-updates' ? 0 : catchUpMs
			});
		}
		return {
			sites: siteCount,
			seconds,
			siteUpdatesPerSecond: siteCount,
			renderer,
			viewport: `${width}x${height}`,
			machine: {
				cpus: cpus().length,
				loadAverageAtStart,
				loadAverageAtEnd: loadavg().map((l) => round(l, 2))
			},
			views: results
		};
	} finally {
		await browser.close();
		await server.stop();
	}
}

// `npx tsx bench/map.ts [sites] [seconds]`: the figure alone, as JSON.
if (import.meta.url === `file://${process.argv[1]}`) {
	const [sites, seconds] = process.argv.slice(2).map(Number);
	benchMap({ sites: sites || undefined, seconds: seconds || undefined }).then(
		(r) => {
			console.log(JSON.stringify(r, null, 2));
			process.exit(0);
		},
		(error) => {
			console.error(error);
			process.exit(1);
		}
	);
}
