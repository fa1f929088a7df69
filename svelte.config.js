import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Machine feeds (/api/v1/*) are served by server/ before SvelteKit and are
		// authenticated by token; SvelteKit's own origin check (on by default) guards its
		// form actions.
		csp: {
			// Nonces for server-rendered pages, hashes for any prerendered one.
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// MapLibre runs its workers from blob: URLs.
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'img-src': ['self', 'data:', 'blob:'],
				// MapLibre and Svelte transitions set inline styles at run time.
				'style-src': ['self', 'unsafe-inline'],
				'font-src': ['self'],
				// Socket.IO's WebSocket is same-origin; ws:/wss: because 'self' does not
				// cover them in every browser.
				'connect-src': ['self', 'ws:', 'wss:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
