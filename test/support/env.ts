import path from 'node:path';

/** The machine's PostgreSQL; CI and the README test command start it if it is down. */
export const ADMIN_URL = process.env.NEXUS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.NEXUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_DB = 'nexus_test_template';
export const TMP_DIR = path.resolve('.tmp/test');
export const PGLITE_TEMPLATE_FILE = path.join(TMP_DIR, 'pglite-template.tar');
