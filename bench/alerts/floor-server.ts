/**
 * The Node floor for the alerts benchmark: bare Fastify (its default JSON
 * parser, no validation, no storage) answering each webhook body with the
 * number of alerts in it. Whatever NEXUS does on top costs more than this, so
 * this is the most any Node server can answer on this machine with this load
 * generator. Same start protocol as NEXUS (own process, 127.0.0.1, free port,
 * prints `LISTENING <url>`).
 */
import Fastify from 'fastify';
import { runAsChild } from '../http/child-server.js';

const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
app.post('/', async (request) => ({ received: (request.body as { alerts?: unknown[] }).alerts?.length ?? 0 }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
runAsChild(url, () => app.close());
