import { ValidationError } from '../errors/redrive-error.js';

/**
 * A minimal typed event emitter. Listeners run synchronously in registration order; a listener
 * that throws is reported to `onListenerError` and never breaks the emitter's caller (a broken
 * metrics hook must not stop the runner).
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: any[]) => void }> {
  private listeners = new Map<keyof Events, Array<Events[keyof Events]>>();

  constructor(private readonly onListenerError?: (error: unknown, event: keyof Events) => void) {}

  /** Add a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    if (typeof event !== 'string' || typeof listener !== 'function') {
      const path = typeof event !== 'string' ? 'event' : 'listener';
      throw new ValidationError(
        `[redrive] [events] on(event, listener): ${path} must be a ${path === 'event' ? 'string' : 'function'}`,
        {
          issues: [{ path, message: `must be a ${path === 'event' ? 'string' : 'function'}` }],
        },
      );
    }
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.listeners.delete(event);
  }

  /** True when someone listens: lets hot paths skip building an event's payload. */
  has(event: keyof Events): boolean {
    return this.listeners.has(event);
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const list = this.listeners.get(event);
    if (!list) {
      // An error nobody listens to must not vanish: a runner whose store is down would look idle.
      if (event === 'error')
        console.error('[redrive] unhandled error event (add an "error" listener):', ...args);
      return;
    }
    for (const listener of list.length === 1 ? list : list.slice()) {
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (error) {
        if (this.onListenerError && event !== 'error') this.onListenerError(error, event);
      }
    }
  }
}
