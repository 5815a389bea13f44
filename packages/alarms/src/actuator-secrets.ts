import { isSealed, SecretPurpose, type SecretBox } from '@metertwin/db';
import type { ActuatorSpec } from './actuator-config.js';

/**
 * The credentials inside an actuator's config (an MQTT broker password, the HTTP headers a device
 * expects, e.g. an API key) are stored sealed, opened only to send a command, and never answered
 * back by the API.
 */

type Config = Record<string, unknown>;

export function sealActuatorConfig(spec: ActuatorSpec, secrets: SecretBox): Config {
  if (spec.kind === 'mqtt') {
    const { password, ...rest } = spec.config;
    return password === undefined ? rest : { ...rest, password: secrets.seal(password, SecretPurpose.MqttPassword) };
  }
  const headers = Object.fromEntries(
    Object.entries(spec.config.headers).map(([name, value]) => [name, secrets.seal(value, SecretPurpose.ActuatorHeader)]),
  );
  return { ...spec.config, headers };
}

/** The stored config with its credentials opened, for the adapter of `kind`. */
export function openActuatorConfig(kind: string, config: unknown, secrets: SecretBox): unknown {
  if (!config || typeof config !== 'object') return config;
  const stored = config as Config;
  if (kind === 'mqtt' && typeof stored.password === 'string') {
    return { ...stored, password: secrets.open(stored.password, SecretPurpose.MqttPassword) };
  }
  if (kind === 'http' && stored.headers && typeof stored.headers === 'object') {
    const headers = Object.entries(stored.headers as Record<string, unknown>).map(([name, value]) => [
      name,
      typeof value === 'string' ? secrets.open(value, SecretPurpose.ActuatorHeader) : value,
    ]);
    return { ...stored, headers: Object.fromEntries(headers) };
  }
  return config;
}

/** The config as the API shows it: credentials replaced by "[sealed]" (or "[plain]" for a row not sealed yet). */
export function redactActuatorConfig(kind: string, config: unknown): unknown {
  if (!config || typeof config !== 'object') return config;
  const stored = config as Config;
  const mark = (value: unknown) => (typeof value === 'string' && isSealed(value) ? '[sealed]' : '[plain]');
  if (kind === 'mqtt' && stored.password !== undefined) return { ...stored, password: mark(stored.password) };
  if (kind === 'http' && stored.headers && typeof stored.headers === 'object') {
    return { ...stored, headers: Object.fromEntries(Object.entries(stored.headers).map(([n, v]) => [n, mark(v)])) };
  }
  return config;
}

/** Whether any credential in the stored config is plain text or sealed under a previous key. */
export function needsSealing(kind: string, config: unknown, secrets: SecretBox): boolean {
  if (!config || typeof config !== 'object') return false;
  const stored = config as Config;
  const values =
    kind === 'mqtt' ? [stored.password] : kind === 'http' && stored.headers && typeof stored.headers === 'object' ? Object.values(stored.headers) : [];
  return values.some((v) => typeof v === 'string' && secrets.needsResealing(v));
}
