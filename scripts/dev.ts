/**
 * `npm run dev`: the API with reload on change (`npm run dev:api`, tsx
 * watch) and the console with hot module replacement (`npm run dev:web`,
 * Vite), together. Open the console at http://127.0.0.1:5173/; Vite passes
 * /api, /health and /metrics through to the API on NEXUS_API_URL
 * (default http://127.0.0.1:8080). When either stops, so does the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const apiUrl = process.env.NEXUS_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? '8080'}`;
const children: ChildProcess[] = [];
let stopping = false;

function stopAll(signal: NodeJS.Signals = 'SIGTERM'): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function run(script: string): ChildProcess {
  const child = spawn('npm', ['run', '--silent', script], {
    stdio: 'inherit',
    env: { ...process.env, NEXUS_API_URL: apiUrl },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.log(`\nnpm run ${script} stopped (${signal ?? `exit code ${code}`}); stopping the other one too.`);
      process.exitCode = code ?? 1;
    }
    stopAll();
  });
  children.push(child);
  return child;
}

console.log(`NEXUS development servers:
  console (hot reload)  http://127.0.0.1:5173/
  API (reload on save)  ${apiUrl}  (also serves the last built console; Vite proxies /api, /health, /metrics to it)
`);
run('dev:api');
run('dev:web');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(signal));
