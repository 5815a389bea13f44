import { createHash, randomBytes } from 'node:crypto';

/** Devices authenticate with a bearer token; only its sha256 is stored. */
export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new device token: shown once to the operator, stored only as its hash. */
export function newDeviceToken(): { token: string; tokenHash: string } {
  const token = `mtd_${randomBytes(24).toString('base64url')}`;
  return { token, tokenHash: hashDeviceToken(token) };
}
