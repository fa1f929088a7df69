import type { ProbeTargetRow } from '../../src/lib/server/db/queries/health';
import type { Logger } from '../log';
import type { Clock } from './clock';
import { probeOnce, type ProbeSample } from './probe';

export interface RunnerDeps {
	clock: Clock;
	log: Logger;
	selfUrl?: () => string | undefined;
	/** Record a sample (through the ingest path); resolves once it is committed. */
	record(sample: ProbeSample): Promise<void>;
	/** How one check is made (tests replace it). */
	probe?: typeof probeOnce;
}

interface Loop {
	config: ProbeTargetRow;
	/** What the loop was started with: a change restarts it. */
	key: string;
	timer: unknown;
	stopped: boolean;
	/** The check under way, if any (awaited on stop). */
	running: Promise<void> | null;
}

const configKey = (c: ProbeTargetRow) =>
	JSON.stringify([c.url, c.method, c.expectStatus, c.expectBody, c.timeoutMs, c.intervalSeconds]);

/**
 * One self-rescheduling loop per enabled probe target: check, record, then wait for the
 * rest of the interval (never two checks of one target at once; a check slower than the
 * interval is followed by the next at once). Errors are logged and the loop goes on.
 */
export class ProbeRunner {
	private loops = new Map<string, Loop>();

	constructor(private readonly deps: RunnerDeps) {}

	/** Start, restart or stop loops so that they match `targets`. */
	sync(targets: ProbeTargetRow[]): void {
		const wanted = new Map(targets.filter((t) => t.enabled).map((t) => [t.target, t]));
		for (const [name, loop] of this.loops) {
			const next = wanted.get(name);
			if (!next || configKey(next) !== loop.key) this.stopLoop(name);
		}
		for (const [name, config] of wanted) {
			if (!this.loops.has(name)) this.startLoop(config);
		}
	}

	get targets(): string[] {
		return [...this.loops.keys()];
	}

	async stop(): Promise<void> {
		const running = [...this.loops.values()].map((l) => l.running);
		for (const name of [...this.loops.keys()]) this.stopLoop(name);
		await Promise.all(running);
	}

	private startLoop(config: ProbeTargetRow): void {
		const loop: Loop = {
			config,
			key: configKey(config),
			timer: null,
			stopped: false,
			running: null
		};
		this.loops.set(config.target, loop);
		const { clock, log } = this.deps;
		const tick = () => {
			if (loop.stopped) return;
			const started = clock.monotonic();
			loop.running = (async () => {
				try {
					const sample = await (this.deps.probe ?? probeOnce)(config, {
						clock,
						selfUrl: this.deps.selfUrl
					});
					if (loop.stopped || !sample) return;
					await this.deps.record(sample);
				} catch (error) {
					log.error(
						{ err: error, target: config.target },
						'health probe could not record its sample'
					);
				}
			})();
			void loop.running.finally(() => {
				loop.running = null;
				if (loop.stopped) return;
				const wait = config.intervalSeconds * 1000 - (clock.monotonic() - started);
				loop.timer = clock.setTimeout(tick, Math.max(0, wait));
			});
		};
		loop.timer = clock.setTimeout(tick, 0);
	}

	private stopLoop(name: string): void {
		const loop = this.loops.get(name);
		if (!loop) return;
		loop.stopped = true;
		this.deps.clock.clearTimeout(loop.timer);
		this.loops.delete(name);
	}
}
