/**
 * What every benchmark that starts servers needs: an environment without the
 * developer's own NEXUS variables, and a port nobody listens on.
 */
import net from 'node:net';

/** Only what a server needs: a developer's own NEXUS variables must not leak into the measurement. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...extra };
}

/** A port nobody listens on right now, for a server that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
