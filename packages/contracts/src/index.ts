export * from './queues.js';
export * from './geometry.js';
export * from './jobs.js';
export * from './events.js';
export * from './webhooks.js';
export * from './mqtt.js';
