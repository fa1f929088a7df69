/** Poll `check` (sync or async) until it gives a value other than undefined or false. */
export async function eventually<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs: number,
	everyMs = 100
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() - started > timeoutMs)
			throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}
