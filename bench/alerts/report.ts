/** The printed result of the alerts benchmark; returns false when the measurement is broken. */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { nexusNodeFlags } from '../support/node-flags.js';
import type { Committed } from './committed.js';
import type { CpuPerAlert } from './cpu.js';
import { percentile, type LoadResult } from './load.js';
import type { PagingResult } from './paging.js';
import { FIXED, FIXED_ALERTS_PER_SECOND, FIXED_CONNECTIONS, FIXED_MAX_BACKLOG_SECONDS, NEW_SHARE, PAGING, SECONDS, SHAPES, TARGETS, WARMUP_SECONDS, type Shape } from './settings.js';

export type Engine = 'PostgreSQL' | 'PGlite';

export interface Row {
  label: string;
  server: string;
  perPayload: number;
  connections: number;
  load: LoadResult;
  /** Seconds NEXUS went on working through requests it had when the load stopped. */
  busyAfter: number;
  /** CPU time per alert during the measured run (throughput cases on Linux only). */
  cpu?: CpuPerAlert | null;
}

/** What one `cluster` label was acknowledged, and how much more may have been committed without an answer. */
export interface Ledger {
  acknowledged: number;
  unanswered: number;
}

export interface EngineResult {
  engine: Engine;
  rows: Array<{ shape: Shape; row: Row }>;
  fixed: Row[];
  paging: PagingResult;
  ledger: Map<string, Ledger>;
  committed: Map<string, Committed>;
  hiddenLines: number;
}

export interface PeerResult {
  version: string;
  rows: Map<Shape['id'], Row>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, width: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-').padStart(width);
const int = (value: number, width: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-').padStart(width);
const alertsPerSecond = (row: Row) => (row.load.ok * row.perPayload) / row.load.seconds;
/** The 1-minute load average: on a shared machine, figures mean little without it. */
const loadAverage = () => os.loadavg()[0]!.toFixed(1);
const loadAtStart = loadAverage();

/** A page that never came counts as slower than any that did. */
function pagingP99(paging: PagingResult): number {
  return percentile([...paging.latencies, ...Array<number>(paging.missing).fill(Number.POSITIVE_INFINITY)], 0.99);
}

function loadLine(row: Row): string {
  const { load } = row;
  const other = Object.entries(load.statuses).map(([code, n]) => `HTTP ${code}×${n}`).join(' ');
  return (
    `${pad(row.label, 34)}${pad(row.server, 13)}${num(row.connections, 6)}${num(load.ok / load.seconds, 8)}${int(alertsPerSecond(row), 10)}` +
    `${num(load.p50, 8, 1)}${num(load.p99, 8, 1)}${num(load.max, 8)}${int(load.ok, 9)}${int(load.non2xx, 8)}${int(load.errors, 7)}` +
    `${row.server === 'Alertmanager' || row.server === 'bare Fastify' ? '' : num(row.busyAfter, 7, 1)}${other ? `  ${other}` : ''}`
  );
}

function durability(result: EngineResult): { lines: string[]; lost: number; broken: string[] } {
  const lines: string[] = [];
  const broken: string[] = [];
  let lost = 0;
  for (const [cluster, entry] of result.ledger) {
    const stored = result.committed.get(cluster);
    const received = stored?.received ?? 0;
    let verdict: string;
    if (received < entry.acknowledged) {
      lost += entry.acknowledged - received;
      verdict = `LOST ${(entry.acknowledged - received).toLocaleString('en-US')} acknowledged alerts`;
    } else if (received > entry.acknowledged + entry.unanswered) {
      broken.push(`${result.engine} ${cluster}: ${received} alerts committed but only ${entry.acknowledged + entry.unanswered} sent`);
      verdict = 'MORE than was sent: broken measurement';
    } else {
      verdict = received === entry.acknowledged ? 'ok' : `ok; +${received - entry.acknowledged} from requests in flight when a load stopped`;
    }
    lines.push(
      `${pad(`${result.engine} ${cluster}`, 30)}${int(entry.acknowledged, 11)}${int(received, 11)}${int(stored?.rows ?? 0, 9)}` +
        `${int(stored ? stored.received - stored.rows : 0, 10)}${int(stored?.incidents ?? 0, 10)}${int(stored?.unpaged ?? 0, 9)}  ${verdict}`,
    );
  }
  return { lines, lost, broken };
}

function header(peer: PeerResult | string): string[] {
  return [
    '',
    `Machine: ${os.cpus().length} CPUs; 1-minute load average ${loadAtStart} at start, ${loadAverage()} at the end ` +
      '(the server under test, PostgreSQL and this load generator share them, and so does anything else running).',
    'Servers, each in its own child process and measured one at a time (the others idle): NEXUS (LOG_LEVEL=warn, default settings, so a PostgreSQL ' +
      `pool of 10) on a fresh PostgreSQL database; the peer, ${typeof peer === 'string' ? '(not available)' : `Alertmanager ${peer.version}`} ` +
      '(alerts in memory only, a receiver with no integrations, gossip off); and the Node floor. Each payload shape is measured on these three ' +
      'one right after the other, so a drift in this shared machine\'s speed over minutes stays out of the ratio. Then NEXUS on PGlite in a ' +
      'temporary data directory.',
    'Alerts: each case has its own Alertmanager groups (alertname × service; six alertnames, which the default routing rules send to P1, P2, P3 ' +
      'and the catch-all), firing only, visited in turn. Before timing, each group\'s first payload is sent (all new alerts: groups and incidents exist). ' +
      `After that ${NEW_SHARE * 100} % of the alerts sent are new fingerprints joining their group's incident and ${100 - NEW_SHARE * 100} % repeat alerts ` +
      'already sent (1-alert payloads cycle the repeats over the whole group; 100-alert payloads carry the group\'s newest 100). ' +
      'One stream, written as webhook v4 bodies for NEXUS and as postable alerts for Alertmanager.',
    `Throughput: autocannon, ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s; ` +
      SHAPES.map((s) => `${s.perPayload}-alert payloads over ${s.groups} groups at ${s.connections} connections`).join(', ') +
      '. alerts/s = 2xx answers × alerts per payload / seconds; latency of the 2xx answers. ' +
      '"busy s": how long NEXUS still worked through requests it had when the load stopped (waited out before the next case).',
  ];
}

/** Where each throughput case's CPU time went, per alert: the budget behind the ratios. */
function cpuTable(engines: EngineResult[], peerRows: Map<Shape['id'], Row>, floor: Map<Shape['id'], Row>): string[] {
  const rows: Row[] = [];
  for (const shape of SHAPES) {
    for (const { rows: measured } of engines) {
      const found = measured.find((r) => r.shape.id === shape.id);
      if (found) rows.push(found.row);
    }
    for (const other of [peerRows.get(shape.id), floor.get(shape.id)]) if (other) rows.push(other);
  }
  const measured = rows.filter((row) => row.cpu);
  if (measured.length === 0) return [];
  const cpus = os.cpus().length;
  return [
    '',
    `CPU time per alert during each timed run, from /proc (µs). The ${cpus} CPUs give at most ${(cpus * 1_000_000).toLocaleString('en-US')} µs/s to all ` +
      'processes together, so "ceiling" = that ÷ the sum: the alerts/s with no CPU left idle. "PostgreSQL": every postgres process of the machine ' +
      '(NEXUS\'s backends, WAL writer, checkpointer); PGlite runs inside NEXUS. "idle": share of the machine\'s CPU time nobody used.',
    `${pad('case', 34)}${pad('server', 13)}${'server'.padStart(8)}${'PostgreSQL'.padStart(11)}${'load gen'.padStart(10)}${'sum'.padStart(8)}${'ceiling'.padStart(10)}${'idle'.padStart(7)}`,
    ...measured.map((row) => {
      const cpu = row.cpu!;
      const sum = cpu.server + (cpu.postgres ?? 0) + cpu.loadGenerator;
      return (
        `${pad(row.label, 34)}${pad(row.server, 13)}${num(cpu.server, 8, 1)}${(cpu.postgres === null ? '-' : cpu.postgres.toFixed(1)).padStart(11)}` +
        `${num(cpu.loadGenerator, 10, 1)}${num(sum, 8, 1)}${int((cpus * 1_000_000) / sum, 10)}${num(cpu.idle * 100, 6, 0)}%`
      );
    }),
  ];
}

export function report(engines: EngineResult[], peer: PeerResult | string, floor: Map<Shape['id'], Row>): boolean {
  const peerRows = typeof peer === 'string' ? new Map<Shape['id'], Row>() : peer.rows;
  const out = header(peer);
  out.push(
    '',
    `${pad('case', 34)}${pad('server', 13)}${'conns'.padStart(6)}${'req/s'.padStart(8)}${'alerts/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}` +
      `${'max ms'.padStart(8)}${'2xx'.padStart(9)}${'non-2xx'.padStart(8)}${'errors'.padStart(7)}${'busy s'.padStart(7)}`,
  );
  for (const shape of SHAPES) {
    for (const result of engines) {
      const found = result.rows.find((r) => r.shape.id === shape.id);
      if (found) out.push(loadLine(found.row));
    }
    const peerRow = peerRows.get(shape.id);
    out.push(peerRow ? loadLine(peerRow) : `${pad(`${shape.perPayload}/request`, 34)}${pad('Alertmanager', 13)}${typeof peer === 'string' ? peer : 'not measured'}`);
    const floorRow = floor.get(shape.id);
    if (floorRow) out.push(loadLine(floorRow));
  }
  out.push(
    '"bare Fastify": the Node floor, a Fastify server in its own process that only parses each webhook body (no validation, no storage) and ' +
      'answers; NEXUS is a Node server, so its alerts/s cannot exceed this on this machine with this load generator. ' +
      `Both run on the Node flags bin/nexus starts NEXUS with: ${nexusNodeFlags(ROOT).join(' ') || '(none)'}.`,
  );
  const fixedRows = engines.flatMap((e) => e.fixed);
  out.push(...fixedRows.map(loadLine));
  if (fixedRows.length > 0) {
    out.push(
      `fixed: ${FIXED_ALERTS_PER_SECOND.toLocaleString('en-US')} alerts/s as ${FIXED.map((f) => `${f.requestsPerSecond} req/s × ${f.perPayload}`).join(' and as ')}, ` +
        `each for ${SECONDS} s after every group's first payload; evenly spaced by an open-loop sender in this process (autocannon's rate limit sends ` +
        `bursts), at most ${FIXED_CONNECTIONS} connections; latency from when each request was due, so waiting for a free connection counts; ` +
        `sending stops once ${FIXED_MAX_BACKLOG_SECONDS} s of requests wait unanswered.`,
    );
  }
  out.push(...cpuTable(engines, peerRows, floor));

  out.push(
    '',
    'Durably committed: after its last case NEXUS was killed with SIGKILL, then the storage was read (PostgreSQL over a new connection, PGlite by ' +
      'opening its data directory here). acked = alerts in 2xx answers; committed = Σ alerts.receive_count; new = rows (distinct fingerprints).',
    `${pad('engine / cluster label', 30)}${'acked'.padStart(11)}${'committed'.padStart(11)}${'new'.padStart(9)}${'repeats'.padStart(10)}` +
      `${'incidents'.padStart(10)}${'unpaged'.padStart(9)}  check`,
  );
  let lost = 0;
  const broken: string[] = [];
  for (const result of engines) {
    const d = durability(result);
    out.push(...d.lines);
    lost += d.lost;
    broken.push(...d.broken);
  }

  out.push(
    '',
    `Alert → first notification: ${PAGING.rate} alerts/s for ${PAGING.seconds} s, each its own group (so each opens an incident), routed by a rule to an ` +
      'escalation policy whose level 0 is a webhook channel to a receiver in this process; from the alert being due to its incident\'s webhook arriving.',
    `${pad('engine', 12)}${'incidents'.padStart(10)}${'paged'.padStart(8)}${'missing'.padStart(9)}${'unrouted'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`,
    ...engines.map(
      ({ engine, paging }) =>
        `${pad(engine, 12)}${int(paging.incidents, 10)}${int(paging.latencies.length, 8)}${int(paging.missing, 9)}${int(paging.unrouted, 10)}` +
        `${num(percentile(paging.latencies, 0.5), 9, 1)}${num(pagingP99(paging), 9, 1)}${num(percentile(paging.latencies, 1), 9, 1)}`,
    ),
  );

  out.push(
    '',
    `${pad('case', 30)}${pad('engine', 12)}${'alerts/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'peer alerts/s'.padStart(15)}${'ratio'.padStart(7)}` +
      `${'Node floor'.padStart(12)}  target met?`,
  );
  for (const shape of SHAPES) {
    const peerRow = peerRows.get(shape.id);
    const peerRate = peerRow ? alertsPerSecond(peerRow) : Number.NaN;
    const floorRow = floor.get(shape.id);
    const floorRate = floorRow ? alertsPerSecond(floorRow) : Number.NaN;
    for (const { engine, rows } of engines) {
      const found = rows.find((r) => r.shape.id === shape.id);
      if (!found) continue;
      const ratio = alertsPerSecond(found.row) / peerRate;
      const belowFloor = floorRate < peerRate ? '; the peer is above the Node floor' : '';
      const verdict = engine !== 'PostgreSQL' ? 'info (the target is on PostgreSQL)' : !peerRow ? 'unknown (no peer)' : ratio >= 1 ? 'yes (>= peer)' : `NO (< peer${belowFloor})`;
      out.push(
        `${pad(`${shape.perPayload}/request, saturated`, 30)}${pad(engine, 12)}${int(alertsPerSecond(found.row), 10)}${num(found.row.load.p50, 8, 1)}` +
          `${num(found.row.load.p99, 8, 1)}${int(peerRate, 15)}${num(ratio, 7, 2)}${int(floorRate, 12)}  ${verdict}`,
      );
    }
  }
  for (const row of fixedRows) {
    const rate = alertsPerSecond(row);
    const reached = rate >= FIXED_ALERTS_PER_SECOND * 0.99 && row.load.gaveUpAfter === undefined;
    const met = reached && row.load.p99 < TARGETS.fixedP99Ms && row.load.non2xx + row.load.errors === 0;
    const why = row.load.gaveUpAfter === undefined ? '1,000/s not reached' : `sender stopped after ${row.load.gaveUpAfter.toFixed(1)} s, ${FIXED_MAX_BACKLOG_SECONDS} s behind`;
    out.push(
      `${pad(`1,000 alerts/s as ${row.perPayload}/request`, 30)}${pad(row.server, 12)}${int(rate, 10)}${num(row.load.p50, 8, 1)}${num(row.load.p99, 8, 1)}` +
        `${'-'.padStart(15)}${'-'.padStart(7)}${'-'.padStart(12)}  ${met ? 'yes' : 'NO'} (p99 < ${TARGETS.fixedP99Ms} ms${reached ? '' : `; ${why}`})`,
    );
  }
  for (const { engine, paging } of engines) {
    const p99 = pagingP99(paging);
    out.push(
      `${pad('alert → first notification', 30)}${pad(engine, 12)}${'-'.padStart(10)}${num(percentile(paging.latencies, 0.5), 8, 1)}${num(p99, 8, 1)}` +
        `${'-'.padStart(15)}${'-'.padStart(7)}${'-'.padStart(12)}  ${p99 < TARGETS.pagingP99Ms ? 'yes' : 'NO'} (p99 < ${TARGETS.pagingP99Ms.toLocaleString('en-US')} ms)`,
    );
  }

  if (lost > 0) out.push('', `DURABILITY: ${lost.toLocaleString('en-US')} acknowledged alerts are not in the storage (see above).`);
  const hidden = engines.filter((e) => e.hiddenLines > 0).map((e) => `${e.hiddenLines} from NEXUS on ${e.engine}`);
  if (hidden.length > 0) out.push(`Server output lines not shown: ${hidden.join(', ')}.`);
  const measured = [...engines.flatMap((e) => [...e.rows.map((r) => r.row), ...e.fixed]), ...peerRows.values()];
  const empty = measured.filter((row) => row.load.ok === 0).map((row) => `${row.server} ${row.label}`);
  if (typeof peer === 'string') broken.push(`peer: ${peer}`);
  if (empty.length > 0) broken.push(`no 2xx answer at all in: ${empty.join('; ')}`);
  if (engines.some((e) => e.paging.incidents === 0)) broken.push('paging: no alert opened an incident');
  if (broken.length > 0) out.push(`INVALID: ${broken.join('; ')}`);
  console.log(out.join('\n'));
  return broken.length === 0;
}
