/**
 * Give the event loop a turn (a macrotask), so timers — heartbeats above all — fire even while
 * a busy loop keeps finding work. Promise chains alone never yield: a runner that claims and
 * completes jobs through resolved promises would otherwise starve its own heartbeat.
 *
 * `setImmediate` where there is one (Node, Bun, Deno): a macrotask that runs right after the
 * pending I/O callbacks, without `setTimeout(0)`'s 1 ms clamp, and cheap. Elsewhere (Workers,
 * browsers) a MessageChannel message, the same kind of turn; its port is closed at once so it
 * never keeps a process alive. (In Node a MessageChannel per yield costs a native port pair and
 * a MessageEvent: an idle worker yields before every claim, and that was a visible share of its
 * CPU per job.)
 */
export function yieldToEventLoop(): Promise<void> {
  const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImmediateFn === 'function') return new Promise((resolve) => setImmediateFn(resolve));
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
