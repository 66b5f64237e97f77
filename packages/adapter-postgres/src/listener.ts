import type { WakeUp } from '@redrive/core';
import type { PgPool, PgPoolClient } from './pg-types.js';

/**
 * LISTEN/NOTIFY wake-ups on one dedicated pooled connection, shared by every subscriber of the
 * adapter. Started by the first subscriber and stopped with the last. When the connection drops
 * it reconnects with exponential backoff (100 ms doubling to 10 s); meanwhile subscribers hear
 * nothing and the runner's polling (which it keeps, at a longer interval) picks jobs up.
 */
export class NotifyListener {
  private readonly listeners = new Set<(wakeUp: WakeUp) => void>();
  private client: PgPoolClient | undefined;
  private stopped = true;
  private retryMs = 100;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly getPool: () => Promise<PgPool>,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True while the LISTEN connection is up. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  subscribe(listener: (wakeUp: WakeUp) => void): () => void {
    this.listeners.add(listener);
    if (this.stopped) {
      this.stopped = false;
      void this.connect();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let client: PgPoolClient | undefined;
    try {
      client = await (await this.getPool()).connect();
      client.on('notification', (message) => this.deliver(message.payload));
      client.on('error', (error) => this.lost(client!, error));
      client.on('end', () => this.lost(client!, new Error('LISTEN connection ended')));
      await client.query(`LISTEN "${this.channel}"`);
      if (this.stopped) {
        client.removeAllListeners();
        client.on('error', () => {});
        client.release();
        return;
      }
      this.client = client;
      this.retryMs = 100;
      // Jobs may have been added while we were not listening: wake everyone once.
      this.deliver(undefined);
    } catch (error) {
      if (client) this.lost(client, error);
      else this.retry(error);
    }
  }

  private lost(client: PgPoolClient, error: unknown): void {
    if (this.client !== undefined && this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    // A dying connection can emit more errors; an unheard 'error' event would crash the process.
    client.on('error', () => {});
    // Passing the error makes the pool destroy the connection instead of reusing it.
    try {
      client.release(error instanceof Error ? error : true);
    } catch {}
    this.retry(error);
  }

  private retry(error: unknown): void {
    if (this.stopped) return;
    this.onError(error);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  private deliver(payload: string | undefined): void {
    let wakeUp: WakeUp = {};
    if (payload) {
      try {
        const parsed = JSON.parse(payload) as { q?: string; r?: number };
        wakeUp = { queue: parsed.q ?? undefined, runAt: parsed.r ?? undefined };
      } catch {}
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(wakeUp);
      } catch {}
    }
  }

  /** Stops listening and gives the connection back. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.query(`UNLISTEN "${this.channel}"`).catch(() => {});
      client.release();
    }
  }
}
