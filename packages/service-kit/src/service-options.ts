import type { QueueName } from '@metertwin/contracts';

export interface ServiceOptions {
  serviceName: string;
  /** Queues this service processes: each needs exactly one @OnJob handler. */
  consumes: QueueName[];
  /** Queues this service adds jobs to. */
  produces: QueueName[];
}
