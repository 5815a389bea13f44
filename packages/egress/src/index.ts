export * from './address.js';
export * from './errors.js';
export * from './policy.js';
export * from './http.js';
export * from './snapshot.js';
export * from './camera-flash.js';
export * from './config.js';
