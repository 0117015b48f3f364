/**
 * CPU time per alert, read from /proc around a measured run: the server's
 * own process, every PostgreSQL process of this machine (NEXUS's backends,
 * and the WAL writer and checkpointer that its commits keep busy), this load
 * generator, and how much of the machine stayed idle. On a machine where all
 * three share the cores, these say where a throughput gap comes from: the
 * cores can give at most `CPUs × 1,000,000` µs per second to all of them.
 *
 * Linux only; elsewhere `startCpuWindow` returns null and the report leaves
 * the table out.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface CpuPerAlert {
  /** µs of the server process per alert. */
  server: number;
  /** µs of all PostgreSQL processes per alert; null when the server does not use the machine's PostgreSQL. */
  postgres: number | null;
  /** µs of this process (autocannon and the alert stream) per alert. */
  loadGenerator: number;
  /** Share of the machine's CPU time that was idle, 0–1. */
  idle: number;
}

/** Clock ticks per second of /proc's figures (USER_HZ). */
function ticksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

const HZ = fs.existsSync('/proc/stat') ? ticksPerSecond() : 100;

/** utime + stime of one process, in ticks; 0 once it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Every process named `postgres` (the postmaster and its backends and workers). */
function postgresTicks(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let name: string;
    try {
      name = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (name === 'postgres') total += processTicks(Number(entry));
  }
  return total;
}

/** [idle, total] ticks of all CPUs. */
function machineTicks(): [number, number] {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // idle and iowait both mean no process wanted the CPU.
  return [fields[3]! + (fields[4] ?? 0), fields.reduce((a, b) => a + b, 0)];
}

/**
 * Starts counting; `stop(alerts)` returns the figures per alert for the time
 * in between. Backends that end inside the window take their time with them,
 * so NEXUS's pool (which keeps its connections) is counted in full.
 */
export function startCpuWindow(serverPid: number | undefined, withPostgres: boolean): { stop(alerts: number): CpuPerAlert | null } | null {
  if (serverPid === undefined || !fs.existsSync('/proc/stat')) return null;
  const server = processTicks(serverPid);
  const postgres = withPostgres ? postgresTicks() : 0;
  const self = process.cpuUsage();
  const [idle, total] = machineTicks();
  return {
    stop(alerts) {
      if (alerts <= 0) return null;
      const perAlert = (ticks: number) => (ticks * 1_000_000) / HZ / alerts;
      const used = process.cpuUsage(self);
      const [idleAfter, totalAfter] = machineTicks();
      return {
        server: perAlert(processTicks(serverPid) - server),
        postgres: withPostgres ? perAlert(postgresTicks() - postgres) : null,
        loadGenerator: (used.user + used.system) / alerts,
        idle: totalAfter > total ? (idleAfter - idle) / (totalAfter - total) : 0,
      };
    },
  };
}
