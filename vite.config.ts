import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { realtimeDevPlugin } from './server/dev-plugin';

export default defineConfig({
	plugins: [sveltekit(), realtimeDevPlugin()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts', 'server/**/*.spec.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					// Real databases and real servers: PGlite always, PostgreSQL via DATABASE_URL.
					include: ['tests/db/**/*.spec.ts', 'tests/integration/**/*.spec.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
