import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against the real production server (SvelteKit handler + Socket.IO).
 * No `webServer`: each spec starts its own server on a free port with its own data
 * directory (tests/e2e/harness.ts). Build first: `npm run test:e2e` does.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '*.e2e.ts',
	outputDir: 'test-results',
	workers: 1,
	fullyParallel: false,
	// Real servers and a real browser on a 2-core CI machine: one retry in CI absorbs a
	// slow start; a test that fails twice still fails the run.
	retries: process.env.CI ? 1 : 0,
	reporter: 'list',
	timeout: 120_000,
	expect: { timeout: 10_000 },
	use: {
		headless: true,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		timezoneId: 'Asia/Kolkata',
		locale: 'en-IN'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				// Debian's Chromium: no browser download on CI or the command-centre network.
				launchOptions: {
					executablePath: '/usr/bin/chromium',
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--no-first-run'
					]
				}
			}
		}
	]
});
