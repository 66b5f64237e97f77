/**
 * Give the event loop a turn (a macrotask), so timers — heartbeats above all — fire even while
 * a busy loop keeps finding work. Promise chains alone never yield: a runner that claims and
 * completes jobs through resolved promises would otherwise starve its own heartbeat.
 *
 * A MessageChannel message is a macrotask without `setTimeout(0)`'s 1 ms clamp (Node, Deno, Bun,
 * Workers and browsers all have it); the port is closed at once so it never keeps a process alive.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') {
    return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
