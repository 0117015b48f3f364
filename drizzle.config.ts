import { defineConfig } from 'drizzle-kit';

// One set of migrations serves PGlite and PostgreSQL: both speak the same dialect.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/tables.ts',
  out: './migrations',
});
