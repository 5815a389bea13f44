import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets stored in the database (camera passwords, MQTT passwords, actuator headers) are sealed
 * with AES-256-GCM under a key from the environment (SECRETS_KEY), so a database dump or backup
 * does not hand out the credentials of every camera and valve.
 *
 * Stored form: `enc:v1:<key id>:<base64url(iv | tag | ciphertext)>`. The key id (first bytes of the
 * key's sha256) lets a rotated deployment keep reading what the previous key sealed
 * (SECRETS_KEY_PREVIOUS). `purpose` is authenticated too: a sealed camera password cannot be moved
 * into another field and opened there.
 */
const PREFIX = 'enc:v1:';

export class SecretKeyError extends Error {}

interface Key {
  id: string;
  bytes: Buffer;
}

/** A key is 32 random bytes in base64 (`openssl rand -base64 32`). */
export function parseSecretKey(text: string): Key {
  const bytes = Buffer.from(text.trim(), 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== text.trim()) {
    throw new SecretKeyError('must be 32 random bytes in base64 (openssl rand -base64 32)');
  }
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

export class SecretBox {
  private readonly keys: Map<string, Key>;

  constructor(
    private readonly current: Key,
    previous: Key[] = [],
  ) {
    this.keys = new Map([current, ...previous].map((k) => [k.id, k]));
  }

  seal(plain: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.current.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /**
   * The plain secret. A value without the prefix was stored before secrets were sealed and is
   * returned as it is (the owning service seals such rows at start: `isSealed`).
   */
  open(stored: string, purpose: string): string {
    if (!isSealed(stored)) return stored;
    const [id, data] = stored.slice(PREFIX.length).split(':');
    const key = this.keys.get(id ?? '');
    if (!key || !data) throw new SecretKeyError(`sealed with key ${id}, which this deployment does not have`);
    const raw = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`a ${purpose} could not be opened: wrong key or altered value`);
    }
  }

  /** Sealed with an older key (or not at all): worth sealing again with the current one. */
  needsResealing(stored: string): boolean {
    return !stored.startsWith(`${PREFIX}${this.current.id}:`);
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** What each sealed field is, bound into its ciphertext. */
export const SecretPurpose = {
  CameraPassword: 'device.basicAuthPassword',
  MqttPassword: 'actuator.mqtt.password',
  ActuatorHeader: 'actuator.http.header',
} as const;
