/**
 * What the pages may ask of the running health monitor (server/health/monitor.ts), found
 * through the registry since the SvelteKit bundle cannot import server/; and the incident
 * thresholds both read from the configuration.
 */
import type { Config } from '../config';

export const HEALTH_CONTROL = 'health';

export interface IncidentThresholds {
	/** Degraded or down samples in a row that open an incident. */
	openAfter: number;
	/** Up samples in a row that close it (while the error rate is below `errorRate`). */
	closeAfter: number;
	/** Share of failed samples within `errorWindowMs` that opens an incident too (0–1]. */
	errorRate: number;
	errorWindowMs: number;
	/** Samples the window must hold before its error rate counts. */
	errorMinSamples: number;
}

export function incidentThresholds(config: Config): IncidentThresholds {
	return {
		openAfter: config.HEALTH_INCIDENT_OPEN_AFTER,
		closeAfter: config.HEALTH_INCIDENT_CLOSE_AFTER,
		errorRate: config.HEALTH_ERROR_RATE,
		errorWindowMs: config.HEALTH_ERROR_WINDOW_SECONDS * 1000,
		errorMinSamples: config.HEALTH_ERROR_MIN_SAMPLES
	};
}

export interface HealthControl {
	/** Probe targets were changed: apply them now rather than at the next periodic check. */
	targetsChanged(): void;
}
