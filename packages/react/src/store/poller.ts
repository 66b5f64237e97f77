import { assertTimerDelay, type Timers } from './timers.js';
import type { VisibilitySource } from './visibility.js';

/** Options of {@link createPoller}. */
export interface PollerOptions {
  /** Called at start, every `intervalMs` after the previous call settled, and when the page shows again. */
  run: () => Promise<unknown>;
  /** `false`: run once at start (and on `refresh`), never on a timer. */
  intervalMs: number | false;
  timers: Timers;
  visibility: VisibilitySource;
}

/** A started poller. */
export interface Poller {
  start(): void;
  stop(): void;
}

/**
 * Polls `run` without overlap: the next call is scheduled only after the previous one settled,
 * so a slow backend is never asked twice at once. While the page is hidden no timer is pending;
 * when it shows again, `run` is called at once and the schedule resumes.
 */
export function createPoller(options: PollerOptions): Poller {
  const { run, timers, visibility } = options;
  const interval =
    options.intervalMs === false ? false : assertTimerDelay('pollIntervalMs', options.intervalMs);
  let handle: unknown;
  let active = false;
  let unsubscribe: (() => void) | undefined;

  const clear = () => {
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
  };
  const schedule = () => {
    clear();
    if (!active || interval === false || !visibility.isVisible()) return;
    handle = timers.setTimeout(tick, interval);
  };
  function tick() {
    handle = undefined;
    if (!active || !visibility.isVisible()) return;
    run().then(schedule, schedule);
  }
  const onVisibility = () => {
    if (!active) return;
    if (visibility.isVisible()) tick();
    else clear();
  };

  return {
    start() {
      if (active) return;
      active = true;
      unsubscribe = visibility.subscribe(onVisibility);
      // The first load happens even in a hidden tab (opened in the background), then waits.
      run().then(schedule, schedule);
    },
    stop() {
      active = false;
      clear();
      unsubscribe?.();
    },
  };
}
