/**
 * NEXUS for the HTTP benchmark, in its own process so the load generator does
 * not share its event loop. Configured from the environment like `nexus serve`
 * (DATABASE_URL, JWT_SECRET_KEY, NEXUS_ADMIN_PASSWORD, PORT=0, LOG_LEVEL=warn);
 * prints `LISTENING <url>` once it serves. Stops on SIGTERM/SIGINT, and when
 * its stdin closes (the benchmark that started it is gone).
 */
import { loadConfig } from '../../src/platform/config.js';
import { startServer } from '../../src/server.js';

const server = await startServer(loadConfig(process.env));
process.stdout.write(`LISTENING ${server.url}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).on('error', stop).resume();
