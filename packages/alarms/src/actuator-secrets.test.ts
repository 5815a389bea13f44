import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretKey, SecretBox } from '@metertwin/db';
import { ActuatorSpecSchema } from './actuator-config.js';
import { needsSealing, openActuatorConfig, redactActuatorConfig, sealActuatorConfig } from './actuator-secrets.js';

const box = new SecretBox(parseSecretKey(randomBytes(32).toString('base64')));
const mqtt = ActuatorSpecSchema.parse({
  kind: 'mqtt',
  config: { url: 'mqtt://10.0.0.5:1883', commandTopic: 'v/set', stateTopic: 'v/state', username: 'valve', password: 'broker-pw' },
});

describe('actuator credentials', () => {
  it('seal the MQTT password, open it for the adapter, and never show it', () => {
    const stored = sealActuatorConfig(mqtt, box);
    expect(JSON.stringify(stored)).not.toContain('broker-pw');
    expect(stored).toMatchObject({ username: 'valve', password: expect.stringMatching(/^enc:v1:/) });
    expect(openActuatorConfig('mqtt', stored, box)).toEqual(mqtt.config);
    expect(redactActuatorConfig('mqtt', stored)).toMatchObject({ password: '[sealed]' });
    expect(needsSealing('mqtt', stored, box)).toBe(false);
    expect(needsSealing('mqtt', mqtt.config, box)).toBe(true);
    expect(redactActuatorConfig('mqtt', mqtt.config)).toMatchObject({ password: '[plain]' });
  });
});
