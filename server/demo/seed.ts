import { count, desc } from 'drizzle-orm';
import type { DbHandle } from '../../src/lib/server/db/client';
import { setMeta } from '../../src/lib/server/db/queries/meta';
import {
	appointments,
	districtTargets,
	districts,
	sessions,
	sites
} from '../../src/lib/server/db/schema';
import { localClock, localDate, startOfLocalHour, zonedTime } from '../../src/lib/shared/time';
import {
	demoStateName,
	maharashtraDistricts,
	maharashtraTowns,
	type DemoDistrict
} from './districts';
import { approximateDistrictGeometry, type DistrictFeatureCollection } from './geometry';
import { maharashtraOutline } from './outline';
import { generateDemoSites, mulberry32, type DemoSite } from './sites';

export const demoVaccines = ['COVISHIELD', 'COVAXIN'] as const;
/** Length of a demo session. */
export const demoSessionHours = 10;
const hourMs = 3_600_000;
const appointmentChunk = 1_000;

export interface DemoState {
	districts: DemoDistrict[];
	geometry: DistrictFeatureCollection;
	sites: DemoSite[];
}

let cached: DemoState | undefined;

/** The bundled demo: districts, their approximate areas and the sites (built once). */
export function demoState(): DemoState {
	if (!cached) {
		const seeds = Object.fromEntries(
			Object.entries(maharashtraTowns).map(([code, towns]) => [code, towns.map((t) => t.at)])
		);
		const geometry = approximateDistrictGeometry(maharashtraDistricts, maharashtraOutline, seeds);
		cached = {
			districts: maharashtraDistricts,
			geometry,
			sites: generateDemoSites(maharashtraDistricts, geometry)
		};
	}
	return cached;
}

export const demoSessionId = (siteCode: string, date: string) => `S-${siteCode}-${date}`;

/**
 * Today's window, so that launch day is already under way whenever the demo starts: from
 * the start of the local hour two hours before `now`, for ten hours. `date` is the local
 * date of `now`, even when the window began the evening before.
 */
export function demoSessionWindow(
	now: Date,
	timeZone: string
): { date: string; startsAt: Date; endsAt: Date } {
	const startsAt = startOfLocalHour(new Date(now.getTime() - 2 * hourMs), timeZone);
	return {
		date: localDate(now, timeZone),
		startsAt,
		endsAt: new Date(startsAt.getTime() + demoSessionHours * hourMs)
	};
}

// prettier-ignore
const firstNames = [
	'Aarti', 'Amol', 'Anil', 'Anita', 'Ashwini', 'Ganesh', 'Kavita', 'Mahesh', 'Manisha', 'Meena',
	'Nilesh', 'Pooja', 'Prakash', 'Priya', 'Rahul', 'Rajesh', 'Rekha', 'Sachin', 'Sandeep',
	'Sangita', 'Santosh', 'Shabana', 'Sunil', 'Sunita', 'Suresh', 'Swati', 'Vaishali', 'Vijay',
	'Yogesh', 'Imran'
];
// prettier-ignore
const lastNames = [
	'Patil', 'Jadhav', 'Pawar', 'Shinde', 'Deshmukh', 'Kulkarni', 'More', 'Chavan', 'Gaikwad',
	'Kale', 'Joshi', 'Kamble', 'Bhosale', 'Salunkhe', 'Wagh', 'Mane', 'Sawant', 'Shaikh', 'Khan',
	'Thakur'
];

/** FNV-1a: a stable 32-bit seed from a string. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

export interface DemoAppointment {
	beneficiaryRef: string;
	siteCode: string;
	date: string;
	slot: string;
	name: string;
	phone: string;
}

/**
 * About 40 beneficiaries booked at a site on a date, spread over the session's hourly
 * slots. A beneficiary ref always names the same person and phone, whatever the date.
 */
export function demoAppointments(
	siteCode: string,
	date: string,
	startsAt: Date,
	timeZone: string
): DemoAppointment[] {
	const firstHour = Number(localClock(startsAt, timeZone).slice(0, 2));
	const hh = (h: number) => String(h % 24).padStart(2, '0');
	const howMany = 36 + (hash(siteCode) % 9);
	const out: DemoAppointment[] = [];
	for (let i = 1; i <= howMany; i++) {
		const beneficiaryRef = `B-${siteCode}-${String(i).padStart(3, '0')}`;
		const random = mulberry32(hash(beneficiaryRef));
		const name = `${firstNames[Math.floor(random() * firstNames.length)]} ${lastNames[Math.floor(random() * lastNames.length)]}`;
		const phone = '+9198' + String(Math.floor(random() * 1e8)).padStart(8, '0');
		const hour = firstHour + Math.floor(((i - 1) * demoSessionHours) / howMany);
		out.push({
			beneficiaryRef,
			siteCode,
			date,
			slot: `${hh(hour)}:00-${hh(hour + 1)}:00`,
			name,
			phone
		});
	}
	return out;
}

const vaccineFor = (index: number) => demoVaccines[index % demoVaccines.length];

/**
 * Loads the demo state into an empty database in one transaction: districts (approximate
 * geometry), sites, today's sessions (already open, see demoSessionWindow) and their
 * appointments, and app_meta demo = '1'. Does nothing, and returns zeros, once any
 * district exists.
 */
export async function seedDemo(
	handle: DbHandle,
	opts: { now: Date; timeZone: string }
): Promise<{ districts: number; sites: number; sessions: number }> {
	const state = demoState();
	const { date, startsAt, endsAt } = demoSessionWindow(opts.now, opts.timeZone);
	// Checked inside the transaction: two processes seeding at once collide on the primary
	// keys and one of them rolls back.
	return handle.db.transaction(async (tx) => {
		const [existing] = await tx.select({ n: count() }).from(districts);
		if (existing.n > 0) return { districts: 0, sites: 0, sessions: 0 };

		const geometryByCode = new Map(
			state.geometry.features.map((f) => [f.properties.code, f.geometry])
		);
		await tx.insert(districts).values(
			state.districts.map((d) => ({
				code: d.code,
				name: d.name,
				state: demoStateName,
				population: d.population,
				hqLon: d.hq[0],
				hqLat: d.hq[1],
				geometry: geometryByCode.get(d.code),
				approximate: true
			}))
		);
		await tx.insert(sites).values(
			state.sites.map((s) => ({
				code: s.code,
				name: s.name,
				districtCode: s.districtCode,
				lat: s.lat,
				lon: s.lon,
				pincode: s.pincode
			}))
		);
		await tx.insert(sessions).values(
			state.sites.map((s, i) => ({
				id: demoSessionId(s.code, date),
				siteCode: s.code,
				date,
				capacity: s.capacity,
				vaccine: vaccineFor(i),
				startsAt,
				endsAt
			}))
		);
		// For the progress review: each district's target for the day is what its sessions can
		// take; registered is 0.7% of its 2011 population (about 8 lakh health workers
		// registered in Maharashtra on the eve of launch).
		const capacity = new Map<string, number>();
		for (const s of state.sites) {
			capacity.set(s.districtCode, (capacity.get(s.districtCode) ?? 0) + s.capacity);
		}
		await tx.insert(districtTargets).values(
			state.districts.map((d) => ({
				districtCode: d.code,
				date,
				target: capacity.get(d.code) ?? 0,
				registered: Math.round(d.population * 0.007),
				updatedBy: 'demo'
			}))
		);
		const booked = state.sites.flatMap((s) =>
			demoAppointments(s.code, date, startsAt, opts.timeZone)
		);
		for (let i = 0; i < booked.length; i += appointmentChunk) {
			await tx.insert(appointments).values(booked.slice(i, i + appointmentChunk));
		}
		await setMeta(tx, 'demo', '1');
		return {
			districts: state.districts.length,
			sites: state.sites.length,
			sessions: state.sites.length
		};
	});
}

/**
 * Plans another day for every site in the database (for the simulator after midnight):
 * a session from `opensAt` — a Date, or local wall-clock time 'HH:MM' on `date` — for
 * demoSessionHours, keeping each site's latest capacity and vaccine. Sessions that exist
 * are left alone. With `appointments`, books that day's beneficiaries as well.
 */
export async function ensureDemoSessions(
	handle: DbHandle,
	opts: { date: string; opensAt: Date | string; timeZone: string; appointments?: boolean }
): Promise<{ sessions: number; appointments: number }> {
	const { date, timeZone } = opts;
	const startsAt =
		typeof opts.opensAt === 'string' ? zonedTime(date, opts.opensAt, timeZone) : opts.opensAt;
	const endsAt = new Date(startsAt.getTime() + demoSessionHours * hourMs);
	const planned = new Map(demoState().sites.map((s) => [s.code, s.capacity]));

	const siteRows = await handle.db.select({ code: sites.code }).from(sites).orderBy(sites.code);
	if (siteRows.length === 0) return { sessions: 0, appointments: 0 };
	const latest = await handle.db
		.selectDistinctOn([sessions.siteCode], {
			siteCode: sessions.siteCode,
			capacity: sessions.capacity,
			vaccine: sessions.vaccine
		})
		.from(sessions)
		.orderBy(sessions.siteCode, desc(sessions.date));
	const previous = new Map(latest.map((r) => [r.siteCode, r]));

	return handle.db.transaction(async (tx) => {
		const inserted = await tx
			.insert(sessions)
			.values(
				siteRows.map(({ code }, i) => ({
					id: demoSessionId(code, date),
					siteCode: code,
					date,
					capacity: previous.get(code)?.capacity ?? planned.get(code) ?? 150,
					vaccine: previous.get(code)?.vaccine ?? vaccineFor(i),
					startsAt,
					endsAt
				}))
			)
			.onConflictDoNothing()
			.returning({ id: sessions.id });
		let booked = 0;
		if (opts.appointments) {
			const rows = siteRows.flatMap(({ code }) => demoAppointments(code, date, startsAt, timeZone));
			for (let i = 0; i < rows.length; i += appointmentChunk) {
				const done = await tx
					.insert(appointments)
					.values(rows.slice(i, i + appointmentChunk))
					.onConflictDoNothing()
					.returning({ ref: appointments.beneficiaryRef });
				booked += done.length;
			}
		}
		return { sessions: inserted.length, appointments: booked };
	});
}
