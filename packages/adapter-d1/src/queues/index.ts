export type {
  QueueConsumerOptions,
  QueueDeadLetterTarget,
  QueueJobContext,
  QueueJobHandler,
} from './consumer-options.js';
export {
  createQueueConsumer,
  MAX_QUEUE_DELAY_SECONDS,
  type QueueConsumer,
  queueDelaySeconds,
} from './create-queue-consumer.js';
export type { QueueBatch, QueueMessage, QueueSender, WaitUntilContext } from './types.js';
