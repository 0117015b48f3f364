/**
 * The floor for the HTTP benchmark's list: bare Fastify sending NEXUS's own
 * 50-user page (read from the file in STATIC_BODY_FILE, compressed as
 * STATIC_CONTENT_ENCODING says if set) from memory, with no auth, no database
 * and no serialisation. It shows what the response's bytes alone cost on this
 * machine. Same start protocol as the other servers.
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { runAsChild } from './child-server.js';

const file = process.env.STATIC_BODY_FILE;
if (!file) throw new Error('STATIC_BODY_FILE is not set');
const body = fs.readFileSync(file);
const encoding = process.env.STATIC_CONTENT_ENCODING;
const app = Fastify({ logger: false });
app.get('/', async (_request, reply) => {
  reply.type('application/json; charset=utf-8');
  if (encoding) reply.header('content-encoding', encoding).header('vary', 'accept-encoding');
  return reply.send(body);
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
runAsChild(url, () => app.close());
