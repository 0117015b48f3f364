import { Counter, Gauge, type Registry } from 'prom-client';

/** How many of the largest tables get a size series: a bounded label set. */
export const LARGEST_TABLES = 10;

/**
 * What the care tasks last saw, as Prometheus series on the app's registry.
 * Gauges hold the last run's figures (the tasks run on a schedule, not per
 * scrape: a scrape must never cost a catalogue walk).
 */
export interface CareMetrics {
  databaseSize: Gauge;
  tableSize: Gauge<'table'>;
  vacuumDuration: Gauge;
  vacuumLast: Gauge;
  longRunning: Gauge;
  longestQuery: Gauge;
  statementsAvailable: Gauge;
  slowestMean: Gauge;
  pruned: Counter<'kind'>;
  pruneDuration: Gauge;
  pruneLast: Gauge;
}

export function createCareMetrics(registry: Registry): CareMetrics {
  const registers = [registry];
  return {
    databaseSize: new Gauge({ name: 'nexus_database_size_bytes', help: "Size of NEXUS's database on disk, at the last db.size run", registers }),
    tableSize: new Gauge({
      name: 'nexus_database_table_size_bytes',
      help: `Size of the ${LARGEST_TABLES} largest tables with their indexes and TOAST, at the last db.size run`,
      labelNames: ['table'] as const,
      registers,
    }),
    vacuumDuration: new Gauge({ name: 'nexus_database_vacuum_duration_seconds', help: 'How long the last db.vacuum-analyze took', registers }),
    vacuumLast: new Gauge({ name: 'nexus_database_vacuum_last_timestamp_seconds', help: 'When the last db.vacuum-analyze finished', registers }),
    longRunning: new Gauge({
      name: 'nexus_database_long_running_queries',
      help: "Statements or transactions of other sessions in NEXUS's database running past the threshold, at the last db.long-running-queries run",
      registers,
    }),
    longestQuery: new Gauge({ name: 'nexus_database_longest_query_seconds', help: 'Age of the oldest of those, 0 when none', registers }),
    statementsAvailable: new Gauge({
      name: 'nexus_database_pg_stat_statements_available',
      help: '1 when pg_stat_statements answered at the last db.slow-queries run, 0 when it is not there',
      registers,
    }),
    slowestMean: new Gauge({
      name: 'nexus_database_slowest_statement_mean_seconds',
      help: 'Highest mean execution time of a statement in pg_stat_statements, at the last db.slow-queries run',
      registers,
    }),
    pruned: new Counter({ name: 'nexus_retention_pruned_rows_total', help: 'Rows deleted by retention.prune, by kind', labelNames: ['kind'] as const, registers }),
    pruneDuration: new Gauge({ name: 'nexus_retention_prune_duration_seconds', help: 'How long the last retention.prune took', registers }),
    pruneLast: new Gauge({ name: 'nexus_retention_prune_last_timestamp_seconds', help: 'When the last retention.prune finished', registers }),
  };
}
