/**
 * An approximate outline of Maharashtra, written down by hand from the state's shape:
 * good to a few kilometres on the coast and worse inland. It is not an official boundary,
 * and everything drawn from it is flagged approximate. One GeoJSON exterior ring,
 * [lon, lat], counter-clockwise, closed.
 */
// prettier-ignore
export const maharashtraOutline: [number, number][] = [
	// Konkan coast, north to south; Mumbai's harbour is bridged from Colaba to Mandwa.
	[72.73, 20.13], [72.69, 19.98], [72.67, 19.8], [72.74, 19.45], [72.77, 19.35], [72.8, 19.1],
	[72.79, 18.98], [72.79, 18.89], [72.85, 18.78], [72.84, 18.64], [72.9, 18.52], [72.93, 18.3],
	[72.99, 18.05], [73.08, 17.81], [73.16, 17.48], [73.26, 16.99], [73.35, 16.38], [73.44, 16.06],
	[73.6, 15.86], [73.68, 15.72],
	// Goa.
	[73.92, 15.62], [74.05, 15.6],
	// Karnataka.
	[74.33, 15.9], [74.45, 16.15], [74.55, 16.62], [74.72, 16.78], [75.3, 16.85], [75.5, 17.05],
	[75.8, 17.25], [76.35, 17.3], [76.45, 17.55], [76.75, 17.75], [76.9, 17.95], [77.15, 18.1],
	[77.35, 18.3], [77.55, 18.45],
	// Telangana: the Manjira side, the Penganga, then the Wardha and the Pranhita.
	[77.85, 18.7], [78.1, 19.25], [78.4, 19.55], [78.45, 19.85], [78.85, 19.9], [79.05, 19.55],
	[79.3, 19.45], [79.6, 19.45], [79.85, 19.6], [79.95, 19.2], [79.92, 18.8],
	// Chhattisgarh, from the Godavari–Indravati confluence north.
	[80.25, 18.7], [80.45, 19.05], [80.68, 19.4], [80.85, 19.75], [80.62, 20.1], [80.55, 20.45],
	[80.68, 21.1], [80.68, 21.45],
	// Madhya Pradesh, east to west along the Satpuras, then up to the Narmada.
	[80.45, 21.7], [80.1, 21.75], [79.75, 21.62], [79.4, 21.75], [78.95, 21.55], [78.55, 21.5],
	[78.25, 21.55], [77.75, 21.45], [77.35, 21.65], [76.9, 21.75], [76.6, 21.45], [76.35, 21.15],
	[76.1, 21.25], [76.0, 21.45], [75.4, 21.45], [74.9, 21.6], [74.45, 21.85], [74.25, 22.03],
	[73.95, 21.85],
	// Gujarat, round the Dangs and Dadra and Nagar Haveli, back to the coast.
	[73.85, 21.5], [73.72, 21.15], [73.9, 20.85], [73.55, 20.65], [73.4, 20.45], [72.92, 20.2],
	[72.73, 20.13]
];
