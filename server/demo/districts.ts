/**
 * Maharashtra's 36 districts as bundled with the demo: Census 2011 codes, names and
 * populations, headquarters positions (to about 0.01°), and a few principal towns of each.
 * Coordinates are [lon, lat] in WGS84, as in GeoJSON.
 */

export const demoStateName = 'Maharashtra';

export interface DemoDistrict {
	/** Census 2011 district code, 3 digits. */
	code: string;
	/** Census 2011 spelling. */
	name: string;
	/** The spelling in everyday use, where it differs. */
	commonName?: string;
	/** District headquarters, [lon, lat]. */
	hq: [number, number];
	/** Census 2011 population. */
	population: number;
}

// Later renamings, kept out of the data so codes and names match the census: Aurangabad is
// now Chhatrapati Sambhajinagar (2023), Osmanabad is Dharashiv (2023), Ahmadnagar is
// Ahilyanagar (2024).
// prettier-ignore
export const maharashtraDistricts: DemoDistrict[] = [
	{ code: '497', name: 'Nandurbar', hq: [74.24, 21.37], population: 1_648_295 },
	{ code: '498', name: 'Dhule', hq: [74.77, 20.9], population: 2_050_862 },
	{ code: '499', name: 'Jalgaon', hq: [75.56, 21.01], population: 4_229_917 },
	{ code: '500', name: 'Buldana', commonName: 'Buldhana', hq: [76.18, 20.53], population: 2_586_258 },
	{ code: '501', name: 'Akola', hq: [77.0, 20.71], population: 1_813_906 },
	{ code: '502', name: 'Washim', hq: [77.13, 20.11], population: 1_197_160 },
	{ code: '503', name: 'Amravati', hq: [77.75, 20.93], population: 2_888_445 },
	{ code: '504', name: 'Wardha', hq: [78.6, 20.74], population: 1_300_774 },
	{ code: '505', name: 'Nagpur', hq: [79.09, 21.15], population: 4_653_570 },
	{ code: '506', name: 'Bhandara', hq: [79.65, 21.17], population: 1_200_334 },
	{ code: '507', name: 'Gondiya', commonName: 'Gondia', hq: [80.19, 21.46], population: 1_322_507 },
	{ code: '508', name: 'Garhchiroli', commonName: 'Gadchiroli', hq: [80.0, 20.18], population: 1_072_942 },
	{ code: '509', name: 'Chandrapur', hq: [79.3, 19.96], population: 2_204_307 },
	{ code: '510', name: 'Yavatmal', hq: [78.13, 20.39], population: 2_772_348 },
	{ code: '511', name: 'Nanded', hq: [77.31, 19.15], population: 3_361_292 },
	{ code: '512', name: 'Hingoli', hq: [77.15, 19.72], population: 1_177_345 },
	{ code: '513', name: 'Parbhani', hq: [76.77, 19.27], population: 1_836_086 },
	{ code: '514', name: 'Jalna', hq: [75.89, 19.84], population: 1_959_046 },
	{ code: '515', name: 'Aurangabad', hq: [75.34, 19.88], population: 3_701_282 },
	{ code: '516', name: 'Nashik', hq: [73.79, 20.0], population: 6_107_187 },
	// Census 2011 Thane (11,060,148) less the talukas that became Palghar in 2014.
	{ code: '517', name: 'Thane', hq: [72.98, 19.22], population: 8_070_032 },
	// Headquarters at Bandra (Collectorate, Bandra East).
	{ code: '518', name: 'Mumbai Suburban', hq: [72.84, 19.06], population: 9_356_962 },
	// Headquarters at the Old Custom House, Fort.
	{ code: '519', name: 'Mumbai', hq: [72.83, 18.93], population: 3_085_411 },
	// Headquarters at Alibag.
	{ code: '520', name: 'Raigarh', commonName: 'Raigad', hq: [72.87, 18.64], population: 2_634_200 },
	{ code: '521', name: 'Pune', hq: [73.86, 18.52], population: 9_429_408 },
	{ code: '522', name: 'Ahmadnagar', commonName: 'Ahmednagar', hq: [74.74, 19.09], population: 4_543_159 },
	{ code: '523', name: 'Bid', commonName: 'Beed', hq: [75.76, 18.99], population: 2_585_049 },
	{ code: '524', name: 'Latur', hq: [76.56, 18.4], population: 2_454_196 },
	{ code: '525', name: 'Osmanabad', hq: [76.04, 18.18], population: 1_657_576 },
	{ code: '526', name: 'Solapur', hq: [75.91, 17.66], population: 4_317_756 },
	{ code: '527', name: 'Satara', hq: [74.0, 17.68], population: 3_003_741 },
	{ code: '528', name: 'Ratnagiri', hq: [73.3, 16.99], population: 1_615_069 },
	// Headquarters at Oros (Sindhudurgnagari).
	{ code: '529', name: 'Sindhudurg', hq: [73.69, 16.1], population: 849_651 },
	{ code: '530', name: 'Kolhapur', hq: [74.24, 16.7], population: 3_876_001 },
	{ code: '531', name: 'Sangli', hq: [74.58, 16.85], population: 2_822_143 },
	// Carved out of Thane in 2014, so it has no Census 2011 code: 532 is ours, the next free
	// number after Maharashtra's range. Population: its talukas' 2011 census total.
	{ code: '532', name: 'Palghar', hq: [72.77, 19.7], population: 2_990_116 }
];

export interface DemoTown {
	name: string;
	/** [lon, lat] */
	at: [number, number];
}

/**
 * Principal towns (mostly taluka headquarters) by district code. They shape the
 * approximate boundaries (extra Voronoi seeds) and give demo sites real places.
 */
// prettier-ignore
export const maharashtraTowns: Record<string, DemoTown[]> = {
	'497': towns('Shahada 74.47 21.55, Navapur 73.78 21.17, Taloda 74.22 21.56, Akkalkuwa 74.02 21.55'),
	'498': towns('Shirpur 74.88 21.35, Sakri 74.31 20.99, Dondaicha 74.57 21.33, Shindkheda 74.74 21.27'),
	'499': towns('Bhusawal 75.78 21.05, Chalisgaon 75.01 20.46, Amalner 75.06 21.04, Pachora 75.35 20.66, Chopda 75.3 21.25, Jamner 75.78 20.81, Yawal 75.7 21.17, Raver 76.03 21.24'),
	'500': towns('Khamgaon 76.57 20.71, Malkapur 76.2 20.89, Chikhli 76.25 20.35, Mehkar 76.57 20.15, Shegaon 76.7 20.79, Deulgaon Raja 76.03 20.02, Lonar 76.52 19.98, Jalgaon Jamod 76.53 21.05'),
	'501': towns('Akot 77.06 21.1, Murtijapur 77.37 20.73, Balapur 76.78 20.67, Telhara 76.84 21.03, Patur 76.94 20.46'),
	'502': towns('Karanja 77.49 20.48, Risod 76.78 19.97, Mangrulpir 77.35 20.31'),
	'503': towns('Achalpur 77.51 21.26, Morshi 78.01 21.34, Warud 78.27 21.47, Daryapur 77.33 20.93, Anjangaon Surji 77.31 21.16, Chandur Railway 77.98 20.82, Dhamangaon Railway 78.13 20.79, Dharni 76.88 21.55, Chikhaldara 77.32 21.4'),
	'504': towns('Hinganghat 78.84 20.55, Arvi 78.23 20.99, Deoli 78.48 20.65, Pulgaon 78.32 20.72'),
	'505': towns('Kamptee 79.2 21.22, Ramtek 79.33 21.4, Umred 79.33 20.85, Katol 78.58 21.27, Saoner 78.92 21.38, Narkhed 78.53 21.47, Kalmeshwar 78.92 21.23, Mauda 79.39 21.16'),
	'506': towns('Tumsar 79.73 21.38, Sakoli 80.0 21.08, Pauni 79.63 20.79, Lakhandur 79.88 20.75'),
	'507': towns('Tirora 79.93 21.41, Amgaon 80.38 21.37, Deori 80.37 21.07'),
	'508': towns('Desaiganj 79.99 20.61, Armori 79.98 20.47, Chamorshi 79.87 19.93, Aheri 80.0 19.41, Sironcha 79.96 18.85, Etapalli 80.26 19.56, Bhamragad 80.6 19.43, Kurkheda 80.2 20.62, Dhanora 80.32 20.27'),
	'509': towns('Ballarpur 79.35 19.85, Warora 79.0 20.23, Bhadravati 79.12 20.11, Rajura 79.37 19.78, Brahmapuri 79.86 20.61, Chimur 79.38 20.5, Mul 79.67 20.07, Nagbhid 79.7 20.58, Gondpipri 79.68 19.72'),
	'510': towns('Pusad 77.57 19.91, Wani 78.95 20.06, Umarkhed 77.69 19.6, Digras 77.72 20.11, Darwha 77.77 20.31, Pandharkawada 78.53 20.02, Ghatanji 78.31 20.14'),
	'511': towns('Kinwat 78.2 19.62, Deglur 77.58 18.55, Mukhed 77.37 18.71, Hadgaon 77.66 19.5, Bhokar 77.67 19.21, Kandhar 77.2 18.89, Biloli 77.73 18.77, Dharmabad 77.85 18.9, Mahur 77.92 19.83'),
	'512': towns('Basmat 77.17 19.33, Kalamnuri 77.32 19.67, Aundha Nagnath 77.04 19.54'),
	'513': towns('Gangakhed 76.75 18.97, Jintur 76.69 19.61, Pathri 76.44 19.26, Selu 76.44 19.45, Purna 77.03 19.18'),
	'514': towns('Ambad 75.79 19.61, Bhokardan 75.77 20.27, Partur 76.22 19.59, Badnapur 75.73 19.87, Mantha 76.38 19.67'),
	'515': towns('Vaijapur 74.73 19.93, Gangapur 75.01 19.7, Paithan 75.38 19.48, Sillod 75.65 20.3, Kannad 75.14 20.27, Khuldabad 75.19 20.01'),
	'516': towns('Malegaon 74.53 20.55, Sinnar 74.0 19.85, Igatpuri 73.56 19.7, Niphad 74.11 20.08, Yeola 74.49 20.04, Manmad 74.44 20.25, Satana 74.2 20.6, Kalwan 74.03 20.49, Dindori 73.83 20.2, Trimbakeshwar 73.53 19.93, Nandgaon 74.66 20.31, Chandwad 74.25 20.33, Surgana 73.63 20.57, Peint 73.51 20.27'),
	'517': towns('Kalyan 73.13 19.24, Bhiwandi 73.06 19.3, Ulhasnagar 73.16 19.22, Ambarnath 73.19 19.2, Badlapur 73.23 19.16, Shahapur 73.33 19.45, Murbad 73.39 19.25, Mira Road 72.87 19.28, Vashi 73.0 19.08'),
	'518': towns('Andheri 72.85 19.12, Borivali 72.86 19.23, Kurla 72.88 19.07, Ghatkopar 72.91 19.09, Mulund 72.96 19.17, Chembur 72.9 19.06, Malad 72.85 19.19, Dahisar 72.86 19.25'),
	'519': towns('Colaba 72.81 18.91, Byculla 72.83 18.98, Dadar 72.84 19.02, Worli 72.82 19.01, Sion 72.86 19.04, Parel 72.84 19.0, Wadala 72.86 19.02'),
	'520': towns('Panvel 73.12 18.99, Pen 73.1 18.74, Mahad 73.42 18.08, Karjat 73.33 18.91, Khopoli 73.34 18.79, Uran 72.94 18.88, Roha 73.12 18.44, Mangaon 73.28 18.23, Murud 72.96 18.33, Shrivardhan 73.02 18.05, Poladpur 73.47 17.98'),
	'521': towns('Baramati 74.58 18.15, Indapur 75.02 18.12, Daund 74.58 18.46, Junnar 73.88 19.2, Shirur 74.37 18.83, Rajgurunagar 73.88 18.86, Manchar 73.94 19.0, Saswad 74.03 18.34, Bhor 73.84 18.15, Lonavala 73.41 18.75, Talegaon Dabhade 73.68 18.73, Pimpri 73.8 18.63, Hadapsar 73.93 18.5'),
	'522': towns('Sangamner 74.21 19.57, Shrirampur 74.66 19.62, Kopargaon 74.48 19.88, Rahuri 74.65 19.39, Shevgaon 75.22 19.35, Pathardi 75.18 19.17, Jamkhed 75.31 18.73, Karjat 75.01 18.55, Shrigonda 74.7 18.62, Parner 74.44 19.0, Newasa 74.93 19.55, Shirdi 74.48 19.77, Akole 74.01 19.54'),
	'523': towns('Ambajogai 76.38 18.73, Parli 76.53 18.85, Majalgaon 76.21 19.15, Georai 75.75 19.26, Kaij 76.09 18.71, Ashti 75.17 18.8, Patoda 75.47 18.8'),
	'524': towns('Udgir 77.11 18.39, Ausa 76.5 18.25, Nilanga 76.75 18.12, Ahmedpur 76.94 18.71, Chakur 76.86 18.51, Renapur 76.6 18.52, Deoni 77.08 18.26'),
	'525': towns('Tuljapur 76.07 18.01, Umarga 76.62 17.84, Kalamb 76.02 18.57, Paranda 75.45 18.27, Bhoom 75.66 18.46'),
	'526': towns('Pandharpur 75.33 17.68, Barshi 75.69 18.23, Akkalkot 76.2 17.52, Mangalvedha 75.45 17.51, Sangola 75.19 17.44, Akluj 75.02 17.88, Madha 75.52 18.03, Karmala 75.2 18.4, Mohol 75.65 17.81, Kurduwadi 75.42 18.09, Malshiras 74.91 17.86'),
	'527': towns('Karad 74.18 17.29, Wai 73.89 17.95, Phaltan 74.43 17.99, Koregaon 74.16 17.7, Mahabaleshwar 73.66 17.92, Patan 73.9 17.37, Vaduj 74.45 17.59, Dahiwadi 74.54 17.7'),
	'528': towns('Chiplun 73.52 17.53, Dapoli 73.19 17.76, Khed 73.39 17.72, Rajapur 73.52 16.65, Lanja 73.55 16.86, Sangameshwar 73.55 17.19, Guhagar 73.19 17.48, Mandangad 73.25 17.98'),
	'529': towns('Kudal 73.68 16.01, Sawantwadi 73.82 15.9, Kankavli 73.71 16.27, Malvan 73.47 16.06, Vengurla 73.63 15.86, Devgad 73.39 16.38, Vaibhavwadi 73.75 16.5, Dodamarg 73.96 15.7'),
	'530': towns('Ichalkaranji 74.46 16.69, Gadhinglaj 74.35 16.22, Kagal 74.32 16.58, Jaysingpur 74.56 16.78, Panhala 74.11 16.81, Radhanagari 73.99 16.41, Ajara 74.21 16.12, Chandgad 74.18 15.93, Gargoti 74.13 16.31'),
	'531': towns('Miraj 74.64 16.82, Islampur 74.26 17.05, Tasgaon 74.6 17.03, Jat 75.22 17.05, Vita 74.54 17.27, Kavathe Mahankal 74.86 17.0, Atpadi 74.94 17.42, Shirala 74.13 16.99, Palus 74.45 17.1'),
	'532': towns('Dahanu 72.73 19.97, Vasai 72.8 19.36, Virar 72.81 19.46, Nalasopara 72.82 19.42, Jawhar 73.23 19.91, Mokhada 73.34 19.93, Talasari 72.93 20.13, Wada 73.14 19.65, Boisar 72.75 19.8')
};

/** 'Name lon lat, Name lon lat, …' → towns; keeps the table above one line per district. */
function towns(list: string): DemoTown[] {
	return list.split(',').map((entry) => {
		const parts = entry.trim().split(' ');
		const lat = Number(parts.pop());
		const lon = Number(parts.pop());
		return { name: parts.join(' '), at: [lon, lat] };
	});
}
