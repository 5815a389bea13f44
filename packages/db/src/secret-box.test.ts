import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretKey, SecretBox, SecretKeyError, SecretPurpose } from './secret-box.js';
import { SecretsEnvShape } from './secrets-env.js';

const newKey = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  const key = newKey();
  const box = new SecretBox(parseSecretKey(key));

  it('seals so that the database holds no plain text, and opens again', () => {
    const sealed = box.seal('s3cret-camera-pw', SecretPurpose.CameraPassword);
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('s3cret');
    expect(box.seal('s3cret-camera-pw', SecretPurpose.CameraPassword)).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed, SecretPurpose.CameraPassword)).toBe('s3cret-camera-pw');
  });

  it('refuses another key, another purpose and an altered value', () => {
    const sealed = box.seal('pw', SecretPurpose.MqttPassword);
    expect(() => new SecretBox(parseSecretKey(newKey())).open(sealed, SecretPurpose.MqttPassword)).toThrow(SecretKeyError);
    expect(() => box.open(sealed, SecretPurpose.CameraPassword)).toThrow(/could not be opened/);
    const altered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(() => box.open(altered, SecretPurpose.MqttPassword)).toThrow(/could not be opened/);
  });

  it('reads what the previous key sealed after a rotation, and says it needs resealing', () => {
    const sealed = box.seal('old', SecretPurpose.ActuatorHeader);
    const rotated = new SecretBox(parseSecretKey(newKey()), [parseSecretKey(key)]);
    expect(rotated.open(sealed, SecretPurpose.ActuatorHeader)).toBe('old');
    expect(rotated.needsResealing(sealed)).toBe(true);
    expect(rotated.needsResealing(rotated.seal('new', SecretPurpose.ActuatorHeader))).toBe(false);
    expect(rotated.needsResealing('plain text from before')).toBe(true);
    expect(rotated.open('plain text from before', SecretPurpose.ActuatorHeader)).toBe('plain text from before');
  });

  it('takes only a real 32-byte key from the environment, with no default', () => {
    expect(SecretsEnvShape.SECRETS_KEY.safeParse(undefined).success).toBe(false);
    expect(SecretsEnvShape.SECRETS_KEY.safeParse('change-me').success).toBe(false);
    expect(SecretsEnvShape.SECRETS_KEY.safeParse(randomBytes(16).toString('base64')).success).toBe(false);
    expect(SecretsEnvShape.SECRETS_KEY.safeParse(newKey()).success).toBe(true);
    expect(SecretsEnvShape.SECRETS_KEY_PREVIOUS.safeParse(`${newKey()}, ${newKey()}`).success).toBe(true);
    expect(SecretsEnvShape.SECRETS_KEY_PREVIOUS.safeParse('nope').success).toBe(false);
  });
});
