import path from 'node:path';

/** The machine's PostgreSQL; CI and the README test command start it if it is down. */
export const ADMIN_URL = process.env.NEXUS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.NEXUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Each `vitest run` makes its own templates (global setup sets the variable
 * before workers start), so two runs on one machine never drop each other's.
 */
export const TMP_DIR = path.resolve('.tmp/test');
const runId = () => process.env.NEXUS_TEST_RUN_ID ?? 'default';
export const templateDb = () => `nexus_tpl_${runId()}`;
export const pgliteTemplateFile = () => path.join(TMP_DIR, `pglite-template-${runId()}.tar`);
