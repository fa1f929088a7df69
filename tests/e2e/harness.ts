/**
 * What the end-to-end specs share: the production server (serving the built app from
 * build/) with a fresh embedded database, signing in through /login, and reading what a
 * chart drew on its canvas.
 */
import { expect, type Page } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../support/server-process';

export type TestServer = ServerProcess;

/** Start the production server on a free port and wait until it is ready. */
export async function startServer(
	opts: { env?: Record<string, string> } = {}
): Promise<TestServer> {
	const server = await startServerProcess({ env: opts.env, readyTimeoutMs: 60_000 });
	let stopping = false;
	// A crash mid-test shows up as "connection refused" in the browser; say why here.
	void server.exited.then((code) => {
		if (!stopping) console.error(`server exited with ${code} during the test:\n${server.output()}`);
	});
	return {
		...server,
		async stop() {
			stopping = true;
			await server.stop();
		}
	};
}

/** Sign in through the form, as a person would; resolves once the overview is open. */
export async function signInWithForm(page: Page, url: string, username: string, password: string) {
	// Wait for hydration: typing into the server-rendered form earlier can be undone by it.
	await page.goto(`${url}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await expect(page.getByLabel('Username')).toHaveValue(username);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(`${url}/`);
}

/** Pixels drawn on a canvas, and how many of them are near a colour. */
export async function canvasPixels(page: Page, selector: string, rgb: [number, number, number]) {
	return page.locator(selector).evaluate((canvas: HTMLCanvasElement, [r, g, b]) => {
		const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
		let drawn = 0;
		let matching = 0;
		for (let i = 0; i < data.length; i += 4) {
			if (data[i + 3] === 0) continue;
			drawn++;
			const near =
				Math.abs(data[i] - r) < 40 &&
				Math.abs(data[i + 1] - g) < 40 &&
				Math.abs(data[i + 2] - b) < 40;
			if (near && data[i + 3] > 200) matching++;
		}
		return { drawn, matching };
	}, rgb);
}
