import type { RetryConfig } from '../config/retry-config.js';
import { capOf } from './base-delay.js';

/**
 * Randomises a capped delay according to `config.jitter`. The result is an integer
 * in [0, maxDelayMs].
 *
 * - `proportional`: uniform within ±`jitterFactor` of `capped` (0.1 → 900…1100 around 1000).
 * - `full` (AWS "full jitter"): uniform in [0, capped].
 * - `decorrelated` (AWS): uniform in [first, 3 × previous], capped; `previous` is the delay
 *   actually waited last time (from the caller) or, when unknown, the jitter-free delay of the
 *   previous attempt.
 * - `none`: `capped` unchanged.
 */
export function applyJitter(
  capped: number,
  config: RetryConfig,
  shape: { first: number; previous: number },
): number {
  const r = randomUnit(config.random);
  let delay: number;
  switch (config.jitter) {
    case 'none':
      return capped;
    case 'full':
      delay = r * capped;
      break;
    case 'decorrelated': {
      const low = shape.first;
      const high = Math.max(low, shape.previous * 3);
      delay = low + r * (high - low);
      break;
    }
    default:
      delay = capped * (1 + config.jitterFactor * (2 * r - 1));
  }
  return Math.min(Math.max(Math.round(delay), 0), capOf(config));
}

/** One draw in [0, 1]; a misbehaving injected source (NaN, out of range) is clamped, never trusted. */
function randomUnit(random: (() => number) | undefined): number {
  const value = (random ?? Math.random)();
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0.5;
}
