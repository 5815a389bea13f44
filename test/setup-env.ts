import { randomBytes } from 'node:crypto';

// Services and the portal refuse to start without SECRETS_KEY (no shipped default): each test
// process gets its own random key unless the environment gives one.
process.env.SECRETS_KEY ??= randomBytes(32).toString('base64');
