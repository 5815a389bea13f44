import { randomBytes } from 'node:crypto';

/** SECRETS_KEY for services a test or bench starts: the environment's, else a random one for this process. */
export function testSecretsKey(): string {
  process.env.SECRETS_KEY ??= randomBytes(32).toString('base64');
  return process.env.SECRETS_KEY;
}
