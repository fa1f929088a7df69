import { z } from 'zod';

/** A boolean environment variable: 1/true/yes or 0/false/no. */
const flag = z
	.enum(['1', '0', 'true', 'false', 'yes', 'no'])
	.transform((v) => v === '1' || v === 'true' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

const timeZone = z.string().refine(
	(tz) => {
		try {
			new Intl.DateTimeFormat('en', { timeZone: tz });
			return true;
		} catch {
			return false; // Intl throws RangeError for an unknown zone; that is the answer
		}
	},
	{ message: 'not an IANA time zone (for example Asia/Kolkata)' }
);

const schema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
		.optional(),
	DATA_DIR: z.string().default('./data'),
	APP_TIMEZONE: timeZone.default('Asia/Kolkata'),
	/** Unset: demo only on an empty embedded database. */
	DEMO: flag.optional(),
	/** Simulator speed: 1 is real time, 60 runs an hour a minute. */
	SIM_SPEED: z.coerce.number().positive().max(3600).default(1),
	/** Minutes without a dose (or heartbeat) before an open session counts as stalled. */
	STALL_MINUTES: positiveInt.default(15),
	/** Minutes after a session opens before no-dose-yet counts as a stall. */
	STARTUP_GRACE_MINUTES: positiveInt.default(30),
	/** How often site statuses are re-derived, in seconds. */
	STATUS_INTERVAL_SECONDS: positiveInt.default(10),
	/** Coalescing window for socket deltas, in milliseconds. */
	DELTA_INTERVAL_MS: positiveInt.default(1000),
	/** Largest request body the feeds accept, in bytes. */
	MAX_BODY_BYTES: positiveInt.default(10 * 1024 * 1024),
	/**
	 * Several nodes on one PostgreSQL: how often the leader checks its lock and the others
	 * try to take it over, in ms (takeover after a node dies takes about this long).
	 */
	CLUSTER_CHECK_MS: positiveInt.default(3000),
	/**
	 * API requests per minute per credential (per client address without one); 0 turns the
	 * limit off. Generous by default so gateways, benches and the simulator are not throttled.
	 */
	RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
	/** How often live sockets' tokens and sessions are checked for revocation, in ms. */
	CREDENTIAL_RECHECK_MS: positiveInt.default(5000),
	/** Minutes a complaint may wait for its answer, by priority (its SLA). */
	COMPLAINT_SLA_URGENT_MINUTES: positiveInt.default(15),
	COMPLAINT_SLA_HIGH_MINUTES: positiveInt.default(60),
	COMPLAINT_SLA_NORMAL_MINUTES: positiveInt.default(240),
	COMPLAINT_SLA_LOW_MINUTES: positiveInt.default(1440),
	/**
	 * At least this many complaints of one category from one district within
	 * COMPLAINT_SPIKE_MINUTES raise a `complaint_spike` alert.
	 */
	COMPLAINT_SPIKE_COUNT: positiveInt.default(20),
	COMPLAINT_SPIKE_MINUTES: positiveInt.default(15),
	/** How often complaint spikes and the outcomes of hand-offs are checked, in seconds. */
	COMPLAINT_CHECK_SECONDS: positiveInt.default(10),
	/** Degraded or down samples in a row that open a health incident. */
	HEALTH_INCIDENT_OPEN_AFTER: positiveInt.default(2),
	/** Up samples in a row that close it. */
	HEALTH_INCIDENT_CLOSE_AFTER: positiveInt.default(3),
	/** Share of failed samples within the window that opens an incident too (0–1). */
	HEALTH_ERROR_RATE: z.coerce.number().gt(0).max(1).default(0.5),
	HEALTH_ERROR_WINDOW_SECONDS: positiveInt.default(300),
	/** Samples the window must hold before its error rate counts. */
	HEALTH_ERROR_MIN_SAMPLES: positiveInt.default(5),
	/** How often pushed samples are checked for incidents (probe samples are checked at once). */
	HEALTH_EVALUATE_SECONDS: positiveInt.default(5),
	/** Raw health samples older than this are downsampled into 5-minute buckets… */
	HEALTH_DOWNSAMPLE_AFTER_HOURS: positiveInt.default(24),
	/** …and deleted after this many days; the buckets are kept for HEALTH_AGGREGATE_DAYS. */
	HEALTH_RAW_DAYS: positiveInt.default(7),
	HEALTH_AGGREGATE_DAYS: positiveInt.default(90),
	HEALTH_RETENTION_MINUTES: positiveInt.default(15),
	/**
	 * Stalled sites that share a cause are grouped under one parent alert: at least this many
	 * while a health incident is open, or this many in one district making up at least
	 * STALL_GROUP_SHARE of its open sites (a district-wide silence).
	 */
	STALL_GROUP_MIN_SITES: positiveInt.default(5),
	STALL_GROUP_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
	/** Where messages to sites (the switch to paper and back) are posted; unset: only logged. */
	NOTIFY_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
	NOTIFY_TIMEOUT_MS: positiveInt.default(5000),
	/**
	 * The public origin (https://cc.example.gov.in) when served behind a proxy: pages take it
	 * (adapter-node reads it too) and Twilio signatures are checked against URLs on it.
	 */
	ORIGIN: z.url({ protocol: /^https?$/, error: 'must be an http(s) origin' }).optional(),
	/** A message without a final delivery report this many minutes after it was sent is `no report`. */
	SMS_NO_REPORT_MINUTES: positiveInt.default(30),
	/**
	 * A district's share of failed (and no-report) messages over the last 10 minutes that opens
	 * an `sms_failure_spike` alert, once at least SMS_FAILURE_MIN_MESSAGES had an outcome.
	 */
	SMS_FAILURE_RATE_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.2),
	SMS_FAILURE_MIN_MESSAGES: positiveInt.default(50),
	/** How often the SMS failure rates are checked, in seconds. */
	SMS_CHECK_SECONDS: positiveInt.default(30),
	/** When set, Twilio status callbacks must carry a valid X-Twilio-Signature. */
	TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
	/** The zone SMPP receipt dates are written in; unset: APP_TIMEZONE. */
	SMPP_DLR_TIMEZONE: timeZone.optional(),
	/** Where resend requests are posted (an SMS gateway's webhook); unset: only logged. */
	SMS_RESEND_WEBHOOK_URL: z
		.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
		.optional(),
	SMS_RESEND_TIMEOUT_MS: positiveInt.default(5000),
	/**
	 * An online base map style (a MapLibre style JSON URL) for deployments that have one; the
	 * product's district and site layers go on top. Unset: the offline map drawn from the
	 * product's own district shapes, with nothing fetched from elsewhere.
	 */
	MAP_STYLE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
});

export type Config = z.infer<typeof schema> & { databaseKind: 'pglite' | 'postgres' };

export class ConfigError extends Error {}

/** Parse the environment once; every invalid variable is named in one error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const present = Object.fromEntries(
		Object.entries(env).filter(([, v]) => v !== undefined && v !== '')
	);
	const parsed = schema.safeParse(present);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	return { ...parsed.data, databaseKind: parsed.data.DATABASE_URL ? 'postgres' : 'pglite' };
}
