export * from './database.js';
export * from './wait.js';
export * from './clock.js';
export * from './secrets.js';
export { encodeBmp } from './bmp.js';
export { serviceTestEnv, TEST_ADMIN_TOKEN } from './service-env.js';
export { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.js';
