import type { FeedName, FeedRecords } from '../../src/lib/shared/feeds';
import {
	BodyError,
	parseAppointments,
	parseDoseBody,
	parseHealthSamples,
	parseHeartbeats,
	parseJsonBody,
	parseSessions,
	parseSmsMessages,
	parseSmsReports,
	type ParseOptions,
	type Parsed
} from './parse';
import { reparseSmpp } from '../sms/smpp';
import { reparseTwilio } from '../sms/twilio';

/**
 * A body form a feed accepts. The form's name labels quarantined items, so that a
 * replay reads each raw item exactly as its original body was read.
 */
export interface FeedForm<K extends FeedName = FeedName> {
	feed: K;
	form: string;
	/** Parse a whole request body. */
	parse(text: string, contentType: string, opts: ParseOptions): Parsed<FeedRecords[K]>;
	/** Parse one quarantined raw item again. */
	reparse(raw: unknown, opts: ParseOptions): Parsed<FeedRecords[K]>;
}

function jsonArrayForm<K extends FeedName>(
	feed: K,
	read: (body: unknown, opts: ParseOptions) => Parsed<FeedRecords[K]>
): FeedForm<K> {
	return {
		feed,
		form: feed,
		parse: (text, _contentType, opts) => read(parseJsonBody(text), opts),
		reparse: (raw, opts) => read([raw], opts)
	};
}

const baseType = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

/** Which form a dose body is: its quarantined items are replayed in the same form. */
function doseForm(contentType: string, text: string): string {
	const type = baseType(contentType);
	if (type === 'application/x-ndjson') return 'doses/ndjson';
	if (type === 'application/fhir+json' || /^\s*\{/.test(text)) return 'doses/fhir';
	return 'doses';
}

export const doseForms: FeedForm<'doses'> = {
	feed: 'doses',
	form: 'doses',
	parse: (text, contentType, opts) => parseDoseBody(text, contentType, opts),
	reparse: (raw, opts) => parseDoseBody(JSON.stringify([raw]), 'application/json', opts)
};

/** Replay forms of dose items by their quarantine label. */
const doseReplays: Record<
	string,
	(raw: unknown, opts: ParseOptions) => Parsed<FeedRecords['doses']>
> = {
	doses: (raw, opts) => parseDoseBody(JSON.stringify([raw]), 'application/json', opts),
	'doses/ndjson': (raw, opts) =>
		parseDoseBody(
			typeof raw === 'string' ? raw : JSON.stringify(raw),
			'application/x-ndjson',
			opts
		),
	'doses/fhir': (raw, opts) => parseDoseBody(JSON.stringify(raw), 'application/fhir+json', opts)
};

export const feedForms = {
	doses: doseForms,
	sessions: jsonArrayForm('sessions', parseSessions),
	'sms-messages': jsonArrayForm('sms-messages', parseSmsMessages),
	'sms-reports': jsonArrayForm('sms-reports', parseSmsReports),
	appointments: jsonArrayForm('appointments', parseAppointments),
	heartbeats: jsonArrayForm('heartbeats', parseHeartbeats),
	health: jsonArrayForm('health', parseHealthSamples)
} satisfies { [K in FeedName]: FeedForm<K> };

/** Parse a request body for a feed; returns the form label its rejects are kept under. */
export function parseFeedBody<K extends FeedName>(
	feed: K,
	text: string,
	contentType: string,
	opts: ParseOptions
): { parsed: Parsed<FeedRecords[K]>; form: string } {
	const form = feedForms[feed] as unknown as FeedForm<K>;
	const parsed = form.parse(text, contentType, opts);
	return { parsed, form: feed === 'doses' ? doseForm(contentType, text) : form.form };
}

/** Replay forms of SMS reports that came in a gateway's own form (server/sms/). */
const smsReportReplays: Record<
	string,
	(raw: unknown, opts: ParseOptions) => Parsed<FeedRecords['sms-reports']>
> = {
	'sms-reports/twilio': (raw) => reparseTwilio(raw),
	'sms-reports/smpp': (raw, opts) => reparseSmpp(raw, opts)
};

/** Parse one quarantined item again, by the form label it was kept under. */
export function reparseQuarantined(
	form: string,
	raw: unknown,
	opts: ParseOptions
): { feed: FeedName; parsed: Parsed<FeedRecords[FeedName]> } {
	const replayDose = doseReplays[form];
	if (replayDose) return { feed: 'doses', parsed: replayDose(raw, opts) };
	const replaySms = smsReportReplays[form];
	if (replaySms) return { feed: 'sms-reports', parsed: replaySms(raw, opts) };
	const f = (feedForms as Record<string, FeedForm>)[form];
	if (!f) throw new BodyError(`no feed called ${form}`);
	return { feed: f.feed, parsed: f.reparse(raw, opts) };
}
