export * from './actor.js';
export * from './domain-error.js';
export * from './alarm-lifecycle.js';
