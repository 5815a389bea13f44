import { z } from 'zod';
import { parseSecretKey, SecretBox, SecretKeyError } from './secret-box.js';

const KEY_FORMAT = 'must be 32 random bytes in base64 (openssl rand -base64 32)';
const isKey = (text: string) => {
  try {
    parseSecretKey(text);
    return true;
  } catch (error) {
    if (error instanceof SecretKeyError) return false;
    throw error;
  }
};

/**
 * SECRETS_KEY (required, no default: a shipped default would be everyone's key) and
 * SECRETS_KEY_PREVIOUS (optional, comma list) for the processes that store or use credentials.
 */
export const SecretsEnvShape = {
  SECRETS_KEY: z.string({ error: `is required: ${KEY_FORMAT}` }).refine(isKey, KEY_FORMAT),
  SECRETS_KEY_PREVIOUS: z
    .string()
    .default('')
    .refine((list) => list.split(',').every((k) => !k.trim() || isKey(k.trim())), `each key ${KEY_FORMAT}`),
};

/** The SecretBox for parsed configuration; throws with the key at fault. */
export function secretBoxFrom(env: { SECRETS_KEY: string; SECRETS_KEY_PREVIOUS: string }): SecretBox {
  const previous = env.SECRETS_KEY_PREVIOUS.split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return new SecretBox(parseSecretKey(env.SECRETS_KEY), previous.map(parseSecretKey));
}
