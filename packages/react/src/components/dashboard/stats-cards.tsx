'use client';
import type { QueueStats } from '@redrive/core';

const CARDS = [
  ['queued', 'Queued'],
  ['running', 'Running'],
  ['completed', 'Completed'],
  ['failed', 'Failed'],
  ['deadLetters', 'Dead letters'],
  ['retryScheduled', 'Retry scheduled'],
] as const;

const numbers = new Intl.NumberFormat('en');

/** The overview cards: one figure per status, dead letters and scheduled retries. */
export function StatsCards({ stats }: { stats: QueueStats | undefined }) {
  const value = (key: (typeof CARDS)[number][0]): number | undefined => {
    if (!stats) return undefined;
    if (key === 'deadLetters') return stats.deadLetters;
    if (key === 'retryScheduled') return stats.retryScheduled;
    return stats.counts[key];
  };
  return (
    <section className="redrive-stats" aria-label="Queue stats">
      {CARDS.map(([key, label]) => {
        const n = value(key);
        return (
          <div key={key} className="redrive-stat" data-stat={key}>
            <span className="redrive-stat-value">{n === undefined ? '–' : numbers.format(n)}</span>
            <span className="redrive-stat-label">{label}</span>
          </div>
        );
      })}
    </section>
  );
}
