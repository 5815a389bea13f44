export * from './schemas.js';
export * from './slack-channels.js';
