/**
 * The peer: a real Alertmanager (Debian's `prometheus-alertmanager`) on a
 * private port with gossip off, keeping alerts in memory only. Its one
 * receiver has no integrations, so notifications go nowhere and only
 * ingestion (validation, the alert store, aggregation groups) is measured.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, onCleanup, startChild, waitReady, type Child } from './processes.js';

export const ALERTMANAGER_BIN = 'prometheus-alertmanager';
const READY_TIMEOUT_MS = 30_000;

/** Grouping like a real setup (and like the groupKeys NEXUS is sent); long waits so no flush happens during a case. */
const CONFIG = `route:
  receiver: nowhere
  group_by: [alertname, cluster, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: nowhere
`;

/** `alertmanager, version 0.25.0 (…)` → `0.25.0`; null when it is not installed. */
export async function alertmanagerVersion(): Promise<string | null> {
  try {
    const { stdout, stderr } = await promisify(execFile)(ALERTMANAGER_BIN, ['--version']);
    return /version (\S+)/.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown';
  } catch {
    return null;
  }
}

export async function startAlertmanager(tmpRoot: string): Promise<{ url: string; child: Child }> {
  const dir = await fs.mkdtemp(path.join(tmpRoot, 'alertmanager-'));
  onCleanup('remove the Alertmanager directory', () => fs.rm(dir, { recursive: true, force: true }));
  const configFile = path.join(dir, 'alertmanager.yml');
  await fs.writeFile(configFile, CONFIG);
  const port = await freePort();
  const child = startChild(
    'alertmanager',
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Empty: no cluster listener, no gossip.
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`, READY_TIMEOUT_MS, child);
  return { url, child };
}
