export * from './storage.js';
export * from './disk-storage.js';
export * from './s3-storage.js';
export * from './config.js';
