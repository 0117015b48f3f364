import net from 'node:net';

/**
 * A port nothing listens on right now. Only for a server that cannot be
 * told to bind port 0 and report it: between this and its bind, a parallel
 * test may take the port, so the caller must retry on another when its
 * server dies at start or answers as someone else.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
