export * from './discovery.js';
export * from './settings.js';
