import { maharashtraTowns, type DemoDistrict } from './districts';
import {
	geometryBbox,
	pointInGeometry,
	type AreaGeometry,
	type DistrictFeatureCollection,
	type Position
} from './geometry';

export interface DemoSite {
	/** MH-<district code>-<nn>, stable for a given district list and seed. */
	code: string;
	name: string;
	districtCode: string;
	lat: number;
	lon: number;
	pincode: string;
	/** Doses planned per session. */
	capacity: number;
}

/** Sites Maharashtra had on the eve of the 2021 launch, per the field report. */
export const demoSiteTotal = 291;
const minSitesPerDistrict = 4;

/** Deterministic PRNG (mulberry32): the same seed always gives the same demo. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface SitePlan {
	/** First 3 digits of the district's PIN codes. */
	pin: string;
	/** Name of the principal site, at headquarters; default 'District Hospital <hq>'. */
	hospital?: string;
	/** Towns (of districts.ts) that are city wards, so their sites are urban PHCs. */
	urban?: true | string[];
	/** More places, without known positions: city wards (UPHC) and villages (PHC). */
	wards?: string[];
	villages?: string[];
}

// Sites are drawn in this order: the principal hospital, the district's towns (two
// sub-district hospitals, then rural hospitals), then wards and villages alternately.
// prettier-ignore
const plans: Record<string, SitePlan> = {
	'497': { pin: '425', villages: ['Dhadgaon', 'Khandbara'] },
	'498': { pin: '424', villages: ['Pimpalner', 'Nijampur', 'Songir'] },
	'499': { pin: '425', villages: ['Erandol', 'Parola', 'Dharangaon', 'Muktainagar', 'Bhadgaon'] },
	'500': { pin: '443' },
	'501': { pin: '444' },
	'502': { pin: '444', villages: ['Malegaon', 'Manora'] },
	'503': { pin: '444' },
	'504': { pin: '442', villages: ['Seloo', 'Samudrapur', 'Ashti'] },
	'505': { pin: '440', wards: ['Sadar', 'Mahal', 'Dharampeth', 'Gandhibagh'], villages: ['Hingna', 'Kuhi', 'Bhiwapur', 'Parseoni'] },
	'506': { pin: '441', villages: ['Mohadi', 'Lakhani'] },
	'507': { pin: '441', villages: ['Goregaon', 'Salekasa', 'Sadak Arjuni'] },
	'508': { pin: '442' },
	'509': { pin: '442' },
	'510': { pin: '445', villages: ['Ner', 'Arni', 'Mahagaon'] },
	'511': { pin: '431', villages: ['Loha', 'Naigaon', 'Mudkhed'] },
	'512': { pin: '431', villages: ['Sengaon', 'Akhada Balapur'] },
	'513': { pin: '431', villages: ['Manwat', 'Sonpeth', 'Palam'] },
	'514': { pin: '431', villages: ['Jafrabad', 'Ghansawangi'] },
	'515': { pin: '431', wards: ['Cidco', 'Garkheda', 'Kranti Chowk'], villages: ['Phulambri', 'Soegaon', 'Bidkin'] },
	'516': { pin: '422', wards: ['Panchavati', 'Nashik Road', 'Satpur', 'Cidco'], villages: ['Ozar', 'Lasalgaon', 'Deola'] },
	'517': { pin: '421', hospital: 'Civil Hospital Thane', urban: ['Mira Road', 'Vashi'], wards: ['Kalwa', 'Wagle Estate', 'Majiwada', 'Kopri', 'Dombivli', 'Airoli', 'Nerul', 'Belapur', 'Koparkhairane', 'Ghansoli', 'Titwala', 'Bhayandar', 'Mumbra', 'Diva'], villages: ['Kasara', 'Saralgaon', 'Kinhavali'] },
	'518': { pin: '400', hospital: 'Bhabha Hospital Bandra', urban: true, wards: ['Santacruz', 'Vile Parle', 'Jogeshwari', 'Goregaon', 'Kandivali', 'Powai', 'Vikhroli', 'Bhandup', 'Kanjurmarg', 'Govandi', 'Mankhurd', 'Deonar', 'Juhu', 'Versova', 'Oshiwara', 'Charkop', 'Magathane', 'Saki Naka', 'Marol'] },
	'519': { pin: '400', hospital: 'GT Hospital', urban: true, wards: ['Girgaon', 'Tardeo', 'Mazgaon', 'Matunga', 'Mahim', 'Malabar Hill', 'Nagpada'] },
	'520': { pin: '410', hospital: 'District Hospital Alibag' },
	'521': { pin: '411', hospital: 'District Hospital Aundh', urban: ['Pimpri', 'Hadapsar'], wards: ['Kothrud', 'Yerawada', 'Sangvi', 'Kasba Peth', 'Bibwewadi', 'Warje', 'Kondhwa', 'Wanowrie', 'Bhosari', 'Akurdi', 'Nigdi', 'Dhankawadi', 'Wakad'], villages: ['Chakan', 'Paud', 'Velhe', 'Uruli Kanchan', 'Nira'] },
	'522': { pin: '414' },
	'523': { pin: '431', villages: ['Dharur', 'Wadwani', 'Shirur Kasar'] },
	'524': { pin: '413', villages: ['Jalkot', 'Shirur Anantpal'] },
	'525': { pin: '413', villages: ['Washi', 'Lohara'] },
	'526': { pin: '413' },
	'527': { pin: '415', villages: ['Medha', 'Khandala', 'Lonand'] },
	'528': { pin: '415' },
	'529': { pin: '416', hospital: 'District Hospital Oros' },
	'530': { pin: '416', villages: ['Shahuwadi', 'Hatkanangle', 'Gaganbawada'] },
	'531': { pin: '416', villages: ['Kadegaon', 'Khanapur'] },
	'532': { pin: '401', villages: ['Vikramgad', 'Safale', 'Manor'] }
};

/**
 * Splits `total` sites among districts in proportion to population, with at least `min`
 * each; largest remainders settle the rounding, so the sum is exactly `total`.
 */
export function allocateSites(populations: number[], total: number, min: number): number[] {
	const pinned = new Set<number>();
	let shares: number[];
	for (;;) {
		const free = populations.map((_, i) => i).filter((i) => !pinned.has(i));
		const rest = total - min * pinned.size;
		const sum = free.reduce((s, i) => s + populations[i], 0);
		const low = free.filter((i) => (rest * populations[i]) / sum < min);
		if (low.length === 0) {
			shares = populations.map((p, i) => (pinned.has(i) ? min : (rest * p) / sum));
			break;
		}
		for (const i of low) pinned.add(i);
	}
	const counts = shares.map(Math.floor);
	let left = total - counts.reduce((a, b) => a + b, 0);
	const byRemainder = shares
		.map((s, i) => ({ i, r: s - Math.floor(s) }))
		.sort((a, b) => b.r - a.r || a.i - b.i);
	for (const { i } of byRemainder) {
		if (left-- <= 0) break;
		counts[i]++;
	}
	return counts;
}

interface Place {
	name: string;
	/** Where it is, if known. */
	at?: Position;
	/** A city ward: somewhere around headquarters. */
	ward?: true;
}

/** Site names for a district in drawing order, each with a known position if it has one. */
function places(district: DemoDistrict, plan: SitePlan): Place[] {
	const towns = maharashtraTowns[district.code] ?? [];
	const isUrban = (town: string) =>
		plan.urban === true || (Array.isArray(plan.urban) && plan.urban.includes(town));
	let hospitalRank = 0;
	const out: Place[] = [
		{
			name: plan.hospital ?? `District Hospital ${district.commonName ?? district.name}`,
			at: district.hq
		}
	];
	for (const town of towns) {
		if (isUrban(town.name)) {
			out.push({ name: `UPHC ${town.name}`, at: town.at });
			continue;
		}
		const kind = hospitalRank++ < 2 ? 'Sub District Hospital' : 'Rural Hospital';
		out.push({ name: `${kind} ${town.name}`, at: town.at });
	}
	const wards = plan.wards ?? [];
	const villages = plan.villages ?? [];
	for (let i = 0; i < Math.max(wards.length, villages.length); i++) {
		if (i < wards.length) out.push({ name: `UPHC ${wards[i]}`, ward: true });
		if (i < villages.length) out.push({ name: `PHC ${villages[i]}` });
	}
	return out;
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

/** A point near `at` (within `spread` degrees) that lies in the cell, if one is found. */
function near(
	at: Position,
	spread: number,
	cell: AreaGeometry,
	random: () => number
): Position | null {
	for (let i = 0; i < 20; i++) {
		const p: Position = [
			round4(at[0] + (random() * 2 - 1) * spread),
			round4(at[1] + (random() * 2 - 1) * spread)
		];
		if (pointInGeometry(p, cell)) return p;
	}
	const exact: Position = [round4(at[0]), round4(at[1])];
	return pointInGeometry(exact, cell) ? exact : null;
}

function anywhereIn(cell: AreaGeometry, fallback: Position, random: () => number): Position {
	const [minX, minY, maxX, maxY] = geometryBbox(cell);
	for (let i = 0; i < 1000; i++) {
		const p: Position = [
			round4(minX + random() * (maxX - minX)),
			round4(minY + random() * (maxY - minY))
		];
		if (pointInGeometry(p, cell)) return p;
	}
	return fallback;
}

/**
 * The demo's vaccination sites: about 300, at least 4 per district and more where more
 * people live, named after real places. A site goes near its place when the place's
 * position is known, around headquarters for a city ward, and anywhere in the district's
 * (approximate) area for a village.
 */
export function generateDemoSites(
	districts: DemoDistrict[],
	geometry: DistrictFeatureCollection,
	seed = 2021
): DemoSite[] {
	const random = mulberry32(seed);
	const counts = allocateSites(
		districts.map((d) => d.population),
		demoSiteTotal,
		minSitesPerDistrict
	);
	const sites: DemoSite[] = [];
	districts.forEach((district, di) => {
		const feature = geometry.features.find((f) => f.properties.code === district.code);
		if (!feature) throw new Error(`no geometry for district ${district.code}`);
		const cell = feature.geometry;
		const plan = plans[district.code] ?? { pin: '4' + district.code.slice(0, 2) };
		const named = places(district, plan);
		for (let n = 0; n < counts[di]; n++) {
			const place: Place = named[n] ?? {
				name: `${district.commonName ?? district.name} Site ${n + 1}`
			};
			const [lon, lat] =
				(place.at && near(place.at, n === 0 ? 0.005 : 0.01, cell, random)) ??
				(place.ward && near(district.hq, 0.06, cell, random)) ??
				anywhereIn(cell, district.hq, random);
			// Mumbai's PIN codes run 400001–400104; elsewhere any three digits will do.
			const last = 1 + Math.floor(random() * (plan.pin === '400' ? 104 : 599));
			sites.push({
				code: `MH-${district.code}-${String(n + 1).padStart(2, '0')}`,
				name: place.name,
				districtCode: district.code,
				lat,
				lon,
				pincode: plan.pin + String(last).padStart(3, '0'),
				capacity: n === 0 ? 300 : 100 + 10 * Math.floor(random() * 11)
			});
		}
	});
	return sites;
}
