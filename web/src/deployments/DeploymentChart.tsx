import { Text } from '@mantine/core';
import { formatDateTime } from '../common/format.js';
import { elapsed, type ChartData, type MetricSeries, type Point } from './model.js';

const WIDTH = 720;
const PANEL_HEIGHT = 110;
const GAP = 28;
const LEFT = 56;
const RIGHT = 12;
const TOP = 18;
const PHASE_COLOR: Record<string, string> = { successful: 'var(--mantine-color-teal-7)', failed: 'var(--mantine-color-red-7)', inconclusive: 'var(--mantine-color-yellow-7)' };

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const span = d1 - d0 || 1;
  return (v: number) => range[0] + ((v - d0) / span) * (range[1] - range[0]);
}

function stepPath(points: Point[], x: (v: number) => number, y: (v: number) => number): string {
  return points.map((p, i) => (i === 0 ? `M${x(p.at)},${y(p.value)}` : `H${x(p.at)}V${y(p.value)}`)).join('');
}

function format(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? String(Math.round(v)) : v.toPrecision(2);
}

/** One panel: its own y-scale, so a 0.01 error rate and a 300 ms latency are both readable under the weight. */
function MetricPanel({ series, top, x }: { series: MetricSeries; top: number; x: (v: number) => number }) {
  const values = [...series.points.map((p) => p.value), ...(series.max !== undefined ? [series.max] : []), ...(series.min !== undefined ? [series.min] : [])];
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values, lo + 1e-9) * 1.1;
  const y = scale([lo, hi], [top + PANEL_HEIGHT, top]);
  const line = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)},${y(p.value)}`).join('');
  return (
    <g>
      <text x={LEFT} y={top - 6} fontSize={12} fill="currentColor">
        {series.metric}
        {series.max !== undefined ? ` (max ${series.max})` : ''}
        {series.min !== undefined ? ` (min ${series.min})` : ''}
      </text>
      <line x1={LEFT} x2={WIDTH - RIGHT} y1={top + PANEL_HEIGHT} y2={top + PANEL_HEIGHT} stroke="currentColor" strokeOpacity={0.3} />
      <text x={LEFT - 6} y={top + 4} fontSize={10} textAnchor="end" fill="currentColor">
        {format(hi)}
      </text>
      <text x={LEFT - 6} y={top + PANEL_HEIGHT} fontSize={10} textAnchor="end" fill="currentColor">
        {format(lo)}
      </text>
      {series.max !== undefined && <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(series.max)} y2={y(series.max)} stroke="var(--mantine-color-red-7)" strokeDasharray="4 3" />}
      {series.min !== undefined && <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(series.min)} y2={y(series.min)} stroke="var(--mantine-color-red-7)" strokeDasharray="4 3" />}
      <path d={line} fill="none" stroke="var(--mantine-color-violet-7)" strokeWidth={1.5} />
      {series.points.map((p) => (
        <circle key={p.at} cx={x(p.at)} cy={y(p.value)} r={3} fill={PHASE_COLOR[p.phase] ?? 'currentColor'}>
          <title>{`${series.metric} ${p.value} (${p.phase}) at ${formatDateTime(new Date(p.at).toISOString())}`}</title>
        </circle>
      ))}
    </g>
  );
}

/**
 * Weight of the new version and each analysis metric over the deployment's
 * life, in plain SVG (no chart library: the console's bundle stays small).
 * Screen readers get a summary; the measurements table below has the numbers.
 */
export function DeploymentChart({ data, label }: { data: ChartData; label: string }) {
  const panels = 1 + data.metrics.length;
  const axisY = TOP + panels * (PANEL_HEIGHT + GAP) - GAP + 16;
  const height = axisY + 8;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => data.start + f * (data.end - data.start));
  const x = scale([data.start, data.end], [LEFT, WIDTH - RIGHT]);
  const yWeight = scale([0, 100], [TOP + PANEL_HEIGHT, TOP]);
  const lastWeight = data.weight.at(-1)?.value ?? 0;
  const summary = `${label}: ${lastWeight} % of traffic on the new version now; ${data.metrics.map((m) => `${m.metric}: ${m.points.length} measurements`).join(', ') || 'no analysis metrics'}`;
  return (
    <figure style={{ margin: 0 }} data-testid="deployment-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={summary} style={{ maxWidth: WIDTH, color: 'var(--mantine-color-text)' }}>
        <text x={LEFT} y={TOP - 6} fontSize={12} fill="currentColor">
          Traffic on the new version (%)
        </text>
        {[0, 50, 100].map((w) => (
          <g key={w}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={yWeight(w)} y2={yWeight(w)} stroke="currentColor" strokeOpacity={0.15} />
            <text x={LEFT - 6} y={yWeight(w) + 4} fontSize={10} textAnchor="end" fill="currentColor">
              {w}
            </text>
          </g>
        ))}
        <path d={stepPath(data.weight, x, yWeight)} fill="none" stroke="var(--mantine-color-blue-7)" strokeWidth={2} data-testid="weight-line" />
        {ticks.map((at, i) => (
          <text key={at} x={x(at)} y={axisY} fontSize={10} textAnchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'} fill="currentColor">
            {elapsed(at - data.start)}
          </text>
        ))}
        {data.metrics.map((series, i) => (
          <MetricPanel key={series.metric} series={series} top={TOP + (i + 1) * (PANEL_HEIGHT + GAP)} x={x} />
        ))}
      </svg>
      <Text component="figcaption" size="xs" c="dimmed">
        Time since {formatDateTime(new Date(data.start).toISOString())}, until {formatDateTime(new Date(data.end).toISOString())}. Dots: measurements (green passed, red failed, yellow inconclusive); dashed: thresholds.
      </Text>
    </figure>
  );
}
