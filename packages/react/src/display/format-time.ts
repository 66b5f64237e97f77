const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31_536_000_000],
  ['month', 2_592_000_000],
  ['week', 604_800_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/**
 * "3 minutes ago", "in 10 seconds", "now", through `Intl.RelativeTimeFormat` in the given locale.
 *
 * @example formatRelativeTime(Date.now() - 90_000, Date.now(), 'en') // "2 minutes ago"
 */
export function formatRelativeTime(at: number, now: number, locale?: string): string {
  const diff = at - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    // Half away from zero, both ways: 90 s ago is "2 minutes ago" as 90 s ahead is "in 2 minutes".
    if (Math.abs(diff) >= ms || unit === 'second') {
      return format.format(Math.sign(diff) * Math.round(Math.abs(diff) / ms), unit);
    }
  }
  return format.format(0, 'second');
}

/** A duration for people: "850 ms", "12 s", "4 min", "2 h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** A timestamp for tooltips and exports, in the user's locale. */
export function formatDateTime(at: number, locale?: string): string {
  return new Date(at).toLocaleString(locale);
}
