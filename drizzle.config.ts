import { defineConfig } from 'drizzle-kit';

// Migrations are generated once and run on both PGlite and PostgreSQL.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	casing: 'snake_case'
});
