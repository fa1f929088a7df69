import type { Plugin } from 'vite';

/**
 * `npm run dev`: attach the same services, machine API and Socket.IO to Vite's dev
 * server that server/main.ts attaches in production. The server code is loaded through
 * Vite's SSR loader (it is TypeScript) only when the dev server starts, so loading this
 * config for builds and tests stays cheap.
 */
export function realtimeDevPlugin(): Plugin {
	return {
		name: 'launch-day-realtime',
		apply: 'serve',
		async configureServer(vite) {
			if (!vite.httpServer || process.env.VITEST) return;
			const dev = (await vite.ssrLoadModule('/server/dev.ts')) as typeof import('./dev');
			await dev.startDevServices(vite);
		}
	};
}
