/**
 * A JSON resource from the API that follows the live picture: fetched once, then again
 * shortly after something it depends on changes (at most every few seconds, however fast
 * the changes come), and once a minute in any case (a new hour, a new plan).
 */
export class LiveResource<T> {
	#data = $state.raw<T | null>(null);
	#error = $state<string | null>(null);
	#loading = $state(false);
	#url: string;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#interval: ReturnType<typeof setInterval> | null = null;
	#lastFetch = 0;
	#inFlight = false;
	#again = false;
	readonly #options: { minGapMs?: number; everyMs?: number };

	constructor(url: string, options: { minGapMs?: number; everyMs?: number } = {}) {
		this.#url = url;
		this.#options = options;
	}

	get data(): T | null {
		return this.#data;
	}

	get error(): string | null {
		return this.#error;
	}

	get loading(): boolean {
		return this.#loading;
	}

	/** Start fetching (browser only); returns the stop function for an effect's cleanup. */
	start(): () => void {
		void this.#fetch();
		this.#interval = setInterval(() => void this.#fetch(), this.#options.everyMs ?? 60_000);
		return () => {
			if (this.#interval) clearInterval(this.#interval);
			if (this.#timer) clearTimeout(this.#timer);
			this.#interval = null;
			this.#timer = null;
		};
	}

	/** Something it depends on changed: fetch again soon. */
	poke(): void {
		if (this.#inFlight) {
			// The answer on its way may predate the change: ask again once it is in.
			this.#again = true;
			return;
		}
		if (this.#timer) return;
		const gap = this.#options.minGapMs ?? 3_000;
		const wait = Math.max(500, this.#lastFetch + gap - Date.now());
		this.#timer = setTimeout(() => {
			this.#timer = null;
			void this.#fetch();
		}, wait);
	}

	async #fetch(): Promise<void> {
		if (this.#inFlight) {
			this.#again = true;
			return;
		}
		this.#inFlight = true;
		this.#loading = this.#data === null;
		this.#lastFetch = Date.now();
		try {
			const res = await fetch(this.#url, { headers: { accept: 'application/json' } });
			if (!res.ok) {
				const body = (await res.json().catch(() => null)) as { error?: string } | null;
				throw new Error(body?.error ?? `the server answered ${res.status}`);
			}
			this.#data = (await res.json()) as T;
			this.#error = null;
		} catch (error) {
			this.#error = (error as Error).message;
		} finally {
			this.#inFlight = false;
			this.#loading = false;
			if (this.#again) {
				this.#again = false;
				this.poke();
			}
		}
	}
}
