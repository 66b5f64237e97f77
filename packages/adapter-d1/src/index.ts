// Public API of @redrive/adapter-d1. Explicit named exports only.
export { type D1Adapter, type D1AdapterOptions, d1Adapter } from './d1-adapter.js';
export type { SqlExecutor, SqlResult, SqlStatement, SqlValue } from './dialect/executor.js';
export type { MigrateResult } from './dialect/migrate.js';
export {
  createQueueConsumer,
  MAX_QUEUE_DELAY_SECONDS,
  type QueueBatch,
  type QueueConsumer,
  type QueueConsumerOptions,
  type QueueDeadLetterTarget,
  type QueueJobContext,
  type QueueJobHandler,
  type QueueMessage,
  type QueueSender,
  queueDelaySeconds,
  type WaitUntilContext,
} from './queues/index.js';
