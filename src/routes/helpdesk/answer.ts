/**
 * What to tell a caller about their site, from what the command centre knows now: the
 * site's status and mode, today's session hours, SMS failures and service incidents.
 * Pure: the clock is `nowMs`; times are read in the state's time zone.
 */
import type { SiteContextView } from '$lib/shared/complaint';
import { HEALTH_INCIDENT } from '$lib/shared/health';
import type { SiteStatus } from '$lib/shared/live';
import { localClock } from '$lib/shared/time';

export interface AnswerLine {
	/** Why this line is there: the panel marks each with its own label. */
	topic: 'site' | 'sms' | 'service';
	text: string;
}

/** A share of failed SMS at or above which the caller is told SMS are failing. */
const SMS_FAILING_SHARE = 0.2;

const clock = (iso: string, tz: string) => localClock(new Date(iso), tz);

/** The session window that matters now: the open one, else the next, else the last. */
function sessionNow(sessions: SiteContextView['sessions'], nowMs: number) {
	const sorted = [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
	const open = sorted.find((s) => Date.parse(s.startsAt) <= nowMs && nowMs < Date.parse(s.endsAt));
	if (open) return { kind: 'open' as const, session: open };
	const next = sorted.find((s) => Date.parse(s.startsAt) > nowMs);
	if (next) return { kind: 'next' as const, session: next };
	const last = sorted.at(-1);
	return last ? { kind: 'ended' as const, session: last } : null;
}

/**
 * The answer, one line per topic, most important first. `status` is the live status
 * (it follows the socket), which may be newer than the context that was read.
 */
export function answerFor(
	context: SiteContextView,
	status: SiteStatus | null,
	timeZone: string,
	nowMs: number
): AnswerLine[] {
	const lines: AnswerLine[] = [];
	const when = sessionNow(context.sessions, nowMs);
	const hours = when
		? `${clock(when.session.startsAt, timeZone)}–${clock(when.session.endsAt, timeZone)}`
		: null;
	const site = context.site;

	if (site.mode === 'manual' || status === 'manual') {
		const since = site.modeChangedAt ? ` since ${clock(site.modeChangedAt, timeZone)}` : '';
		lines.push({
			topic: 'site',
			text:
				`The centre is on paper (manual) registration${since}: staff register people by hand, ` +
				(when && when.kind !== 'ended'
					? `so go during today's session, ${hours}.`
					: 'so an OTP or SMS is not needed there.')
		});
	} else if (!when) {
		lines.push({ topic: 'site', text: 'There is no session at this centre today.' });
	} else if (when.kind === 'next') {
		lines.push({
			topic: 'site',
			text: `The centre opens at ${clock(when.session.startsAt, timeZone)} today (session ${hours}).`
		});
	} else if (when.kind === 'ended') {
		lines.push({
			topic: 'site',
			text: `Today's session ended at ${clock(when.session.endsAt, timeZone)}.`
		});
	} else if (status === 'stalled') {
		lines.push({
			topic: 'site',
			text:
				`The centre is open (${hours}) but is not recording vaccinations` +
				`${site.cause ? ` (${site.cause})` : ''}. Officers can switch it to paper registration.`
		});
	} else if (status === 'idle') {
		lines.push({
			topic: 'site',
			text: `The session opened at ${clock(when.session.startsAt, timeZone)}; no vaccination is recorded yet.`
		});
	} else {
		const last = site.lastDoseAt ? `, the latest at ${clock(site.lastDoseAt, timeZone)}` : '';
		lines.push({
			topic: 'site',
			text: `The centre is vaccinating now (${hours}): ${site.dosesToday} doses today${last}.`
		});
	}

	const sms = context.sms;
	if (sms.sent > 0 && sms.failed / sms.sent >= SMS_FAILING_SHARE) {
		const otp = sms.otpSent > 0 ? ` (OTP: ${sms.otpFailed} of ${sms.otpSent} failed)` : '';
		const reason = sms.reasons[0] ? `; most often: ${sms.reasons[0].reason}` : '';
		lines.push({
			topic: 'sms',
			text: `SMS for this centre are failing: ${sms.failed} of ${sms.sent} today${otp}${reason}.`
		});
	}

	for (const a of context.alerts) {
		if (a.kind === HEALTH_INCIDENT) lines.push({ topic: 'service', text: a.summary });
	}
	return lines;
}
