import type { Provider } from '@nestjs/common';
import { secretBoxFrom } from '@metertwin/db';
import { CONFIG } from './tokens.js';

export const SECRETS = Symbol('SECRETS');

/** The SecretBox for services whose env schema includes the db package's SecretsEnvShape. */
export const secretsProvider: Provider = {
  provide: SECRETS,
  inject: [CONFIG],
  useFactory: (config: { SECRETS_KEY: string; SECRETS_KEY_PREVIOUS: string }) => secretBoxFrom(config),
};
