/**
 * NEXUS for the HTTP benchmark, in its own process so the load generator does
 * not share its event loop. Configured from the environment like `nexus serve`
 * (DATABASE_URL, JWT_SECRET_KEY, NEXUS_ADMIN_PASSWORD, PORT=0, LOG_LEVEL=warn);
 * prints `LISTENING <url>` once it serves. Stops on SIGTERM/SIGINT, and when
 * its stdin closes (the benchmark that started it is gone).
 */
import { loadConfig } from '../../src/platform/config.js';
import { startServer } from '../../src/server.js';
import { runAsChild } from './child-server.js';

const server = await startServer(loadConfig(process.env));
runAsChild(server.url, () => server.close());
