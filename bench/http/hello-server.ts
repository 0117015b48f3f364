/**
 * The ceiling for the HTTP benchmark: a bare Fastify hello-world, started the
 * same way as NEXUS (own process, 127.0.0.1, free port, `LISTENING <url>`).
 */
import Fastify from 'fastify';
import { runAsChild } from './child-server.js';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
runAsChild(url, () => app.close());
