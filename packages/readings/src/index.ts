export * from './assemble.js';
export * from './status.js';
