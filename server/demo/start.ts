import type { Principal } from '../../src/lib/server/auth/policy';
import type { DbHandle } from '../../src/lib/server/db/client';
import { countDoses } from '../../src/lib/server/db/queries/dose';
import { appointmentsOn } from '../../src/lib/server/db/queries/field';
import { findUserByUsername } from '../../src/lib/server/db/queries/user';
import { listSites, sessionsOn } from '../../src/lib/server/db/queries/site';
import { localDate, startOfLocalHour } from '../../src/lib/shared/time';
import { createUserCommand } from '../admin/commands/create-user';
import type { Services } from '../services';
import { ensureDemoSessions, seedDemo } from './seed';
import { Simulator, type SimSite } from './simulator';

/** Demo accounts, one per kind of user; simulated data only, so the password is public. */
export const DEMO_PASSWORD = 'launch-day-demo';
export const demoAccounts = [
	{ username: 'state.officer', role: 'state_officer', districts: [] as string[] },
	{ username: 'pune.officer', role: 'district_officer', districts: ['521'] },
	{ username: 'secretary', role: 'secretary', districts: [] as string[] },
	{ username: 'helpdesk', role: 'helpdesk', districts: [] as string[] },
	{ username: 'admin', role: 'admin', districts: [] as string[] }
] as const;

/** Load the demo state (districts, sites, today's sessions, appointments) if the database has none. */
export async function loadDemoState(handle: DbHandle, timeZone: string): Promise<string> {
	const seeded = await seedDemo(handle, { now: new Date(), timeZone });
	if (seeded.districts === 0)
		return 'demo state already present (or the database holds other districts): nothing loaded';
	return `loaded the demo state: ${seeded.districts} districts, ${seeded.sites} sites, ${seeded.sessions} sessions today`;
}

async function ensureDemoAccounts(handle: DbHandle): Promise<void> {
	for (const account of demoAccounts) {
		if (await findUserByUsername(handle.db, { username: account.username })) continue;
		await createUserCommand(handle.db, {
			username: account.username,
			role: account.role,
			districts: [...account.districts],
			password: DEMO_PASSWORD,
			displayName: `Demo ${account.role.replace('_', ' ')}`
		});
	}
}

/** What the simulator drives: every site with a session today. */
async function simulatorSites(handle: DbHandle, date: string): Promise<SimSite[]> {
	const [sites, sessions] = await Promise.all([listSites(handle.db), sessionsOn(handle.db, date)]);
	const districtOf = new Map(sites.map((s) => [s.code, s.districtCode]));
	return sessions
		.filter((s) => districtOf.has(s.siteCode) && s.startsAt && s.endsAt)
		.map((s) => {
			const hours = (s.endsAt!.getTime() - s.startsAt!.getTime()) / 3_600_000;
			return {
				code: s.siteCode,
				districtCode: districtOf.get(s.siteCode)!,
				ratePerHour: s.capacity / Math.max(1, hours),
				opensMs: s.startsAt!.getTime(),
				closesMs: s.endsAt!.getTime()
			};
		});
}

/** Who files the simulator's complaints (their history says `token:simulator`). */
const simulatedCallers: Principal = {
	kind: 'token',
	tokenId: 'simulator',
	name: 'simulator',
	scopes: ['ingest']
};

/**
 * Demo mode: seed an empty database, create the demo accounts, and run the launch-day
 * simulator through the ingest path. Returns how to announce and stop it.
 */
export async function startDemo(services: Services) {
	const { handle, config, log } = services;
	const now = new Date();
	const today = localDate(now, config.APP_TIMEZONE);
	await seedDemo(handle, { now, timeZone: config.APP_TIMEZONE });
	// A demo database from an earlier day gets sessions for today, opening now.
	await ensureDemoSessions(handle, {
		date: today,
		opensAt: startOfLocalHour(new Date(now.getTime() - 2 * 3_600_000), config.APP_TIMEZONE),
		timeZone: config.APP_TIMEZONE,
		appointments: true
	});
	await ensureDemoAccounts(handle);
	await services.reload();
	const sites = await simulatorSites(handle, today);
	const appointments = (await appointmentsOn(handle.db, today)).map((a) => ({
		...a,
		date: String(a.date)
	}));
	// The simulator is once-per-cluster work: it runs on the leader (always, on one node).
	let simulator: Simulator | undefined;
	services.leader.whileLeader('simulator', async () => {
		const { start } = services.live.dayBounds(new Date());
		const played = (await countDoses(handle.db, start)) > 0;
		simulator = new Simulator({
			ingest: services.ingest,
			log,
			timeZone: config.APP_TIMEZONE,
			speed: config.SIM_SPEED,
			sites,
			appointments,
			fileComplaints: async (items) => {
				await services.complaints.create(simulatedCallers, JSON.stringify(items));
			}
		});
		const running = simulator;
		void running
			.start(!played)
			.catch((error) => log.error({ err: error }, 'simulator failed to start'));
		return () => running.stop();
	});
	return {
		announce(url: string) {
			const lines = [
				'',
				'  Launch-day command centre — DEMO with SIMULATED data',
				`  Open ${url} and sign in with one of these accounts (password: ${DEMO_PASSWORD}):`,
				...demoAccounts.map(
					(a) =>
						`    ${a.username.padEnd(14)} ${a.role}${a.districts.length ? ` (district ${a.districts.join(', ')})` : ''}`
				),
				`  Simulator speed: ${config.SIM_SPEED}x (SIM_SPEED)`,
				''
			];
			console.log(lines.join('\n'));
		},
		async stop() {
			simulator?.stop();
		}
	};
}
