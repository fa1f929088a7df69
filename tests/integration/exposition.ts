/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), as Prometheus
 * parses it and `promtool check metrics` lints it:
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 *
 * Returns the families it read; throws with the line number and the reason on the first
 * thing Prometheus would refuse or promtool would complain about.
 */

export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export interface Family {
	name: string;
	help: string | null;
	type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
	samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Inf|NaN)$/;

export class ExpositionError extends Error {}

function parseValue(text: string, line: number): number {
	if (!FLOAT.test(text)) throw new ExpositionError(`line ${line}: "${text}" is not a float`);
	if (text === 'NaN') return NaN;
	if (/^[+-]?Inf$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
	return Number(text);
}

/** `{a="x",b="y\"z"}` → labels; returns the index after the closing brace. */
function parseLabels(
	text: string,
	start: number,
	line: number
): { labels: Record<string, string>; end: number } {
	const labels: Record<string, string> = {};
	let i = start + 1;
	const fail = (why: string): never => {
		throw new ExpositionError(`line ${line}: ${why}`);
	};
	for (;;) {
		if (text[i] === '}') return { labels, end: i + 1 };
		const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
		if (!nameMatch) fail(`bad label name at column ${i + 1}`);
		const name = nameMatch![0];
		if (name.startsWith('__')) fail(`label name ${name} is reserved`);
		if (name in labels) fail(`label ${name} given twice`);
		i += name.length;
		if (text[i] !== '=' || text[i + 1] !== '"') fail(`expected ="… after label ${name}`);
		i += 2;
		let value = '';
		for (;;) {
			const c = text[i];
			if (c === undefined) fail(`unterminated value of label ${name}`);
			if (c === '"') break;
			if (c === '\\') {
				const next = text[i + 1];
				if (next === '\\') value += '\\';
				else if (next === '"') value += '"';
				else if (next === 'n') value += '\n';
				else fail(`bad escape \\${next} in label ${name}`);
				i += 2;
			} else {
				value += c;
				i++;
			}
		}
		labels[name] = value;
		i++;
		if (text[i] === ',') i++;
		else if (text[i] !== '}') fail(`expected , or } after label ${name}`);
	}
}

/** Which family a sample name belongs to, given the types declared so far. */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
	const exact = families.get(name);
	if (exact) return exact;
	for (const suffix of ['_bucket', '_sum', '_count']) {
		if (!name.endsWith(suffix)) continue;
		const f = families.get(name.slice(0, -suffix.length));
		if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return f;
	}
	return undefined;
}

export function parseExposition(body: string): Map<string, Family> {
	if (body.length > 0 && !body.endsWith('\n'))
		throw new ExpositionError('the last line must end with a line feed');
	const families = new Map<string, Family>();
	const finished = new Set<string>();
	const seenSeries = new Set<string>();
	let current: Family | null = null;
	const lines = body.split('\n');
	lines.pop();

	const enter = (family: Family, line: number) => {
		if (current === family) return;
		if (finished.has(family.name))
			throw new ExpositionError(`line ${line}: samples of ${family.name} are not grouped together`);
		if (current) finished.add(current.name);
		current = family;
	};

	lines.forEach((text, index) => {
		const line = index + 1;
		if (text.trim() === '') return;
		if (text.startsWith('#')) {
			const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(text);
			if (!m) return; // any other comment
			const [, keyword, name, rest = ''] = m;
			if (!METRIC_NAME.test(name))
				throw new ExpositionError(`line ${line}: bad metric name ${name}`);
			let family = families.get(name);
			if (!family) {
				family = { name, help: null, type: 'untyped', samples: [] };
				families.set(name, family);
			}
			enter(family, line);
			if (keyword === 'HELP') {
				if (family.help !== null)
					throw new ExpositionError(`line ${line}: second HELP for ${name}`);
				if (/\\[^\\n]/.test(rest.replace(/\\\\/g, '')))
					throw new ExpositionError(`line ${line}: bad escape in HELP of ${name}`);
				family.help = rest;
			} else {
				if (family.samples.length > 0)
					throw new ExpositionError(`line ${line}: TYPE of ${name} after its samples`);
				if (!TYPES.has(rest.trim()))
					throw new ExpositionError(`line ${line}: unknown type ${rest}`);
				family.type = rest.trim() as Family['type'];
			}
			return;
		}
		const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text);
		if (!nameMatch)
			throw new ExpositionError(`line ${line}: a sample must start with a metric name`);
		const name = nameMatch[0];
		let i = name.length;
		let labels: Record<string, string> = {};
		if (text[i] === '{') ({ labels, end: i } = parseLabels(text, i, line));
		if (text[i] !== ' ' && text[i] !== '\t')
			throw new ExpositionError(`line ${line}: expected a space before the value`);
		const fields = text
			.slice(i)
			.trim()
			.split(/[ \t]+/);
		if (fields.length < 1 || fields.length > 2)
			throw new ExpositionError(`line ${line}: expected a value and at most a timestamp`);
		const value = parseValue(fields[0], line);
		if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1]))
			throw new ExpositionError(`line ${line}: bad timestamp ${fields[1]}`);
		let family = familyOf(name, families);
		if (!family) {
			family = { name, help: null, type: 'untyped', samples: [] };
			families.set(name, family);
		}
		enter(family, line);
		const series = name + JSON.stringify(Object.entries(labels).sort());
		if (seenSeries.has(series)) throw new ExpositionError(`line ${line}: ${series} given twice`);
		seenSeries.add(series);
		family.samples.push({ name, labels, value });
	});

	for (const family of families.values()) check(family);
	return families;
}

/** Type-specific rules (histogram buckets, counters) and promtool's lints. */
function check(f: Family): void {
	const fail = (why: string): never => {
		throw new ExpositionError(`${f.name}: ${why}`);
	};
	if (f.help === null || f.help.trim() === '') fail('no HELP text');
	if (f.type === 'counter') {
		if (!f.name.endsWith('_total')) fail('a counter should be named …_total');
		for (const s of f.samples) if (s.value < 0) fail('a counter went negative');
	}
	if (f.type === 'histogram') {
		if (!f.samples.some((s) => s.name === `${f.name}_bucket`) && f.samples.length > 0)
			fail('a histogram without buckets');
		const groups = new Map<string, Sample[]>();
		for (const s of f.samples) {
			const { le, ...rest } = s.labels;
			if (s.name.endsWith('_bucket') && le === undefined) fail('a bucket without le');
			if (!s.name.endsWith('_bucket') && le !== undefined) fail(`le on ${s.name}`);
			const key = JSON.stringify(Object.entries(rest).sort());
			let g = groups.get(key);
			if (!g) groups.set(key, (g = []));
			g.push(s);
		}
		for (const [key, g] of groups) {
			const buckets = g.filter((s) => s.name.endsWith('_bucket'));
			const count = g.find((s) => s.name === `${f.name}_count`);
			const sum = g.find((s) => s.name === `${f.name}_sum`);
			if (!count || !sum) fail(`series ${key} lacks _count or _sum`);
			let lastLe = -Infinity;
			let lastCount = -Infinity;
			for (const b of buckets) {
				const le = parseValue(b.labels.le, 0);
				if (!(le > lastLe)) fail(`buckets of ${key} are not in increasing le order`);
				if (b.value < lastCount) fail(`bucket counts of ${key} are not cumulative`);
				lastLe = le;
				lastCount = b.value;
			}
			if (lastLe !== Infinity) fail(`series ${key} has no le="+Inf" bucket`);
			if (lastCount !== count!.value) fail(`the +Inf bucket of ${key} is not equal to _count`);
		}
	}
	if (f.type === 'summary') {
		for (const s of f.samples) {
			if (s.name === f.name && s.labels.quantile === undefined)
				fail('a quantile without its label');
		}
	}
}
