export * from './plugin.js';
export * from './threshold.rule.js';
export * from './registry.js';
