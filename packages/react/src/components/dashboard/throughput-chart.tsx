'use client';
import type { ThroughputBucket } from '../../client/jobs-client.js';

const WIDTH = 600;
const HEIGHT = 120;
const MINUTES = 60;
const numbers = new Intl.NumberFormat('en');

/**
 * Completed (up) and failed (down) jobs per minute over the last hour, as plain SVG bars. Minutes
 * the store did not report count as zero.
 */
export function ThroughputChart({ buckets, now }: { buckets: ThroughputBucket[]; now: number }) {
  const end = Math.floor(now / 60_000) * 60_000;
  const start = end - (MINUTES - 1) * 60_000;
  const byMinute = new Map<number, ThroughputBucket>();
  for (const b of buckets) byMinute.set(Math.floor(b.minute / 60_000) * 60_000, b);
  const series = Array.from({ length: MINUTES }, (_, i) => {
    const minute = start + i * 60_000;
    const b = byMinute.get(minute);
    return { minute, completed: b?.completed ?? 0, failed: b?.failed ?? 0 };
  });
  const completed = series.reduce((n, b) => n + b.completed, 0);
  const failed = series.reduce((n, b) => n + b.failed, 0);
  const max = Math.max(1, ...series.map((b) => Math.max(b.completed, b.failed)));
  const mid = HEIGHT / 2;
  const barWidth = WIDTH / MINUTES;
  const scale = (n: number) => (n / max) * (mid - 4);
  const summary = `Last hour: ${numbers.format(completed)} completed, ${numbers.format(failed)} failed`;
  return (
    <figure className="redrive-chart" aria-label="Throughput, last hour">
      <svg role="img" aria-label={summary} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none">
        <title>{summary}</title>
        <line x1={0} x2={WIDTH} y1={mid} y2={mid} className="redrive-chart-axis" />
        {series.map((b, i) => (
          <g key={b.minute}>
            {b.completed > 0 && (
              <rect
                className="redrive-chart-completed"
                x={i * barWidth + 1}
                width={barWidth - 2}
                y={mid - scale(b.completed)}
                height={scale(b.completed)}
              />
            )}
            {b.failed > 0 && (
              <rect
                className="redrive-chart-failed"
                x={i * barWidth + 1}
                width={barWidth - 2}
                y={mid}
                height={scale(b.failed)}
              />
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <span className="redrive-legend redrive-legend-completed">{numbers.format(completed)} completed</span>
        <span className="redrive-legend redrive-legend-failed">{numbers.format(failed)} failed</span>
        <span className="redrive-muted">per minute, last hour</span>
      </figcaption>
    </figure>
  );
}
