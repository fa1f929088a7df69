/**
 * Normalised feed records: what every parser produces and the ingest path writes.
 * Times are Date objects; calendar dates are YYYY-MM-DD in the state's time zone.
 */
import type { SmsReasonGroup } from './sms';

export interface DoseRecord {
	id: string;
	siteCode: string;
	occurredAt: Date;
	vaccine: string;
	/** Null when the sender did not say (for example FHIR without protocolApplied). */
	dose: number | null;
	beneficiaryRef: string;
	vaccinatorRef: string | null;
	sessionId: string | null;
	source: 'live' | 'backfill';
	/** entered_in_error withdraws a dose already held under the same id. */
	status: 'completed' | 'entered_in_error';
}

export interface SiteInfo {
	name: string;
	districtCode?: string;
	districtName?: string;
	lat?: number;
	lon?: number;
	pincode?: string;
}

export interface SessionRecord {
	sessionId: string;
	siteCode: string;
	date: string;
	capacity: number;
	vaccine: string | null;
	startsAt: Date | null;
	endsAt: Date | null;
	site?: SiteInfo;
}

export type SmsKind = 'appointment' | 'otp' | 'reminder' | 'other';
export type SmsStatus =
	'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'expired' | 'rejected';

export interface SmsMessageRecord {
	messageId: string;
	beneficiaryRef: string;
	siteCode: string;
	kind: SmsKind;
	sentAt: Date;
	phone: string | null;
	sessionDate: string | null;
	provider: string | null;
	/** A resend's original message (resends are tracked like any message). */
	resendOf?: string | null;
}

export interface SmsReportRecord {
	messageId: string;
	status: SmsStatus;
	at: Date;
	errorCode: string | null;
	reason: string | null;
	provider: string | null;
	/** A failure's reason group, when the form decided it (else it follows from the rest). */
	reasonGroup?: SmsReasonGroup | null;
	/**
	 * The form it came in, when that changes how it is matched: a Twilio callback carries no
	 * time of its own (`at` is when it arrived, so a repeat is told by id and status); an SMPP
	 * receipt's id may be written differently from the message's (decimal or hex).
	 */
	form?: 'twilio' | 'smpp';
}

export interface AppointmentRecord {
	beneficiaryRef: string;
	siteCode: string;
	date: string;
	slot: string | null;
	name: string | null;
	phone: string | null;
}

export interface HeartbeatRecord {
	siteCode: string;
	at: Date;
	device: string;
	pendingUploads: number | null;
}

export interface HealthSampleRecord {
	target: string;
	at: Date;
	ok: boolean;
	latencyMs: number | null;
	detail: string | null;
}

export interface FeedRecords {
	doses: DoseRecord;
	sessions: SessionRecord;
	'sms-messages': SmsMessageRecord;
	'sms-reports': SmsReportRecord;
	appointments: AppointmentRecord;
	heartbeats: HeartbeatRecord;
	health: HealthSampleRecord;
}
export type FeedName = keyof FeedRecords;

/** One item a feed refused, with why; the raw item goes to quarantine. */
export interface Rejection {
	index: number;
	error: string;
}

/** The answer of every batch endpoint (contract v1). */
export interface IngestResult {
	accepted: number;
	duplicates: number;
	rejected: Rejection[];
}
