/*
 * Cloudflare Queues' consumer API, the part the consumer uses, typed structurally (nothing from
 * Cloudflare is imported): a Worker's `queue(batch, env, ctx)` handler receives these.
 */

/** One message of a batch (`Message` in @cloudflare/workers-types). */
export interface QueueMessage<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  /** Delivery attempts so far, this one included: 1 on the first delivery. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** A batch delivered to `queue(batch, env, ctx)` (`MessageBatch`). */
export interface QueueBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
}

/** A producer binding (`Queue`), for a dead-letter queue you consume yourself. */
export interface QueueSender {
  send(body: unknown): Promise<unknown>;
}

/** The Worker's execution context, the part used here. */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}
