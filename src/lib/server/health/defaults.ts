import type { ProbeTargetInput } from '../db/queries/health';
import { SELF_COMPONENT } from './read';

/**
 * The components of the field status page on a new database. State officers change the
 * words; nothing here overwrites what they wrote.
 */
export const defaultStatusNotices = [
	{
		component: 'national-server',
		label: 'National vaccination server (CoWIN)',
		targets: ['national-server'],
		instruction:
			'Keep vaccinating. Record every dose on the paper register with the beneficiary ID and the time; upload the register once the server is back (Backfill). Do not send people home.',
		position: 1
	},
	{
		component: 'sms-gateway',
		label: 'OTP and SMS gateway',
		targets: ['otp-service', 'sms-gateway'],
		instruction:
			'Do not wait for the OTP or the appointment SMS. Verify the beneficiary with photo ID, record the dose on paper, and phone the people on the site call list.',
		position: 2
	},
	{
		component: SELF_COMPONENT,
		label: 'This command centre',
		targets: ['command-centre'],
		instruction:
			'Carry on at the site. Report doses, stalls and problems to the district control room by phone until this page is back.',
		position: 3
	}
];

/**
 * Demo mode probes this server's own /healthz: the national server cannot be reached from
 * a demo machine, and no probe may leave it.
 */
export const demoProbeTargets: ProbeTargetInput[] = [
	{
		target: 'command-centre',
		url: '/healthz',
		method: 'GET',
		expectStatus: 200,
		expectBody: '"ok":true',
		timeoutMs: 5000,
		intervalSeconds: 15,
		enabled: true
	}
];
