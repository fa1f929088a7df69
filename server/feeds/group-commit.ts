/**
 * Group commit: requests that arrive while a transaction is in flight wait and are
 * written together in the next one. Under load batches grow by themselves; when idle a
 * request is written at once. Each request gets its own result, and only after the
 * transaction holding it has committed.
 *
 * With `lanes` above 1, a second transaction may start while one is in flight, but only
 * once at least half a full batch is waiting: the database then writes one batch while
 * this process prepares the next, and light traffic still goes out in few, large batches.
 */
export class GroupCommit<Req, Res> {
	private waiting: {
		req: Req;
		size: number;
		resolve: (r: Res) => void;
		reject: (e: unknown) => void;
	}[] = [];
	private waitingItems = 0;
	private running = 0;
	private scheduled = false;

	constructor(
		/** Writes the requests in one transaction; returns one result per request, in order. */
		private readonly write: (requests: Req[]) => Promise<Res[]>,
		/** Stop adding requests to a batch once it holds this many items. */
		private readonly maxItems = 5000,
		/** Transactions in flight at once, at most. */
		private readonly lanes = 1
	) {}

	submit(req: Req, size: number): Promise<Res> {
		return new Promise<Res>((resolve, reject) => {
			this.waiting.push({ req, size, resolve, reject });
			this.waitingItems += size;
			if (!this.scheduled) {
				this.scheduled = true;
				// Let requests parsed in the same tick join this batch.
				setImmediate(() => {
					this.scheduled = false;
					this.fill();
				});
			}
		});
	}

	/** Requests waiting for a transaction (for metrics). */
	get pending(): number {
		return this.waiting.length;
	}

	private fill(): void {
		while (
			this.waiting.length > 0 &&
			(this.running === 0 || (this.running < this.lanes && this.waitingItems * 2 >= this.maxItems))
		) {
			this.start(this.take());
		}
	}

	private take() {
		let items = 0;
		let take = 0;
		while (
			take < this.waiting.length &&
			(take === 0 || items + this.waiting[take].size <= this.maxItems)
		) {
			items += this.waiting[take].size;
			take++;
		}
		this.waitingItems -= items;
		return this.waiting.splice(0, take);
	}

	private start(batch: GroupCommit<Req, Res>['waiting']): void {
		this.running++;
		this.write(batch.map((b) => b.req))
			.then(
				(results) => batch.forEach((b, i) => b.resolve(results[i])),
				(error) => {
					for (const b of batch) b.reject(error);
				}
			)
			.finally(() => {
				this.running--;
				this.fill();
			});
	}
}
