import type { z } from 'zod';
import type { AppointmentRecord } from '../../../src/lib/shared/feeds';
import { calendarDate, item, optionalText, text } from './fields';
import { parseArray } from './items';
import type { ParseOptions, Parsed } from './types';

const appointment: z.ZodType<AppointmentRecord> = item({
	beneficiaryRef: text(),
	siteCode: text(),
	date: calendarDate,
	// Free form ("09:00-11:00", "morning"): shown on the call list, never computed with.
	slot: optionalText(),
	name: optionalText(),
	phone: optionalText(40)
});

export function parseAppointments(body: unknown, _opts: ParseOptions): Parsed<AppointmentRecord> {
	return parseArray(body, 'Appointment', appointment);
}
