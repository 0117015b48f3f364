/**
 * How a benchmark's server runs as a child process: it prints `LISTENING <url>`
 * once it serves, and stops on SIGTERM/SIGINT and when its stdin closes (the
 * benchmark that started it is gone).
 */
export function runAsChild(url: string, close: () => Promise<unknown>): void {
  process.stdout.write(`LISTENING ${url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop).on('error', stop).resume();
}
