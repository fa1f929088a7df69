/**
 * With MAP_STYLE_URL set, the map loads an online base style, whose tiles, glyphs and
 * sprites may come from any https host it names: the page's Content-Security-Policy lets
 * the map fetch them (and only them: scripts stay 'self'). Unset, nothing is widened and
 * the page may talk to its own origin alone.
 */
export function widenCspForMapStyle(csp: string, styleUrl: string | undefined): string {
	if (!styleUrl) return csp;
	const extra =
		new URL(styleUrl).protocol === 'http:' ? ['https:', new URL(styleUrl).origin] : ['https:'];
	return csp
		.split(';')
		.map((directive) => {
			const name = directive.trim().split(/\s+/)[0];
			if (name !== 'connect-src' && name !== 'img-src') return directive;
			const present = new Set(directive.trim().split(/\s+/));
			const added = extra.filter((s) => !present.has(s));
			return added.length ? `${directive.trimEnd()} ${added.join(' ')}` : directive;
		})
		.join(';');
}
