/**
 * The floor for a start: the same work with NEXUS removed. Plain Node (no
 * tsx) imports PGlite and Fastify, opens PGlite on the data directory (an
 * initdb when it is new, as NEXUS's first start does), and serves /health
 * from a bare Fastify. It prints a line shaped like NEXUS's `startup` log
 * line, so both read the same way.
 */
export const FLOOR_PROGRAM = `
const mark = (() => { let last = 0; const phases = {}; return (name) => { const now = performance.now(); phases[name] = Math.round((now - last) * 10) / 10; last = now; return { totalMs: Math.round(now * 10) / 10, phases }; }; })();
const [{ PGlite }, { default: Fastify }] = await Promise.all([import('@electric-sql/pglite'), import('fastify')]);
mark('code');
const db = await PGlite.create({ dataDir: process.env.FLOOR_PGDATA });
await db.query('SELECT 1');
mark('database open');
const app = Fastify();
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log(JSON.stringify({ msg: 'startup', startup: mark('listen') }));
process.on('SIGTERM', async () => { await app.close(); await db.close(); process.exit(0); });
`;
