/**
 * Give the event loop a turn (a macrotask), so timers — heartbeats above all — fire even while
 * a busy loop keeps finding work. Promise chains alone never yield: a runner that claims and
 * completes jobs through resolved promises would otherwise starve its own heartbeat.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}
