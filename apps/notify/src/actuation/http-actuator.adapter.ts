import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { checkDestination, RefusedDestinationError } from '../webhook-guard.js';
import { postJson } from './post-json.js';
import { ActuationRefusedError, ActuationTimeoutError, type ActuatorAdapter, type CommandOutcome, type OutgoingCommand } from './actuator-adapter.js';
import { HttpActuatorConfigSchema } from './actuator-config.js';

/**
 * POSTs the command to the actuator's URL, through the same SSRF guard as webhooks (with its own
 * allow-list, ACTUATION_ALLOWED_HOSTS: valves usually sit on private networks). A 2xx answer is the
 * confirmation; a JSON body `{ "state": "closed" }` reports the device's new state.
 */
@Injectable()
export class HttpActuatorAdapter implements ActuatorAdapter {
  constructor(@Inject(CONFIG) private readonly env: NotifyEnv) {}

  async send(rawConfig: unknown, command: OutgoingCommand, timeoutMs: number): Promise<CommandOutcome> {
    const config = HttpActuatorConfigSchema.parse(rawConfig);
    let destination;
    try {
      destination = await checkDestination(config.url, this.env.ACTUATION_ALLOWED_HOSTS);
    } catch (error) {
      if (error instanceof RefusedDestinationError) throw new ActuationRefusedError(error.message.replace('WEBHOOK_ALLOWED_HOSTS', 'ACTUATION_ALLOWED_HOSTS'));
      throw error;
    }
    const answer = await postJson(destination, config.headers, JSON.stringify(command), timeoutMs).catch((error: Error) => {
      if (error.message.startsWith('no answer')) throw new ActuationTimeoutError(error.message);
      throw error;
    });
    if (answer.status >= 400 && answer.status < 500) throw new ActuationRefusedError(`actuator answered HTTP ${answer.status}`);
    if (answer.status < 200 || answer.status >= 300) throw new Error(`actuator answered HTTP ${answer.status}`);
    return { state: stateOf(answer.body) };
  }
}

function stateOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const state = (parsed as { state?: unknown } | null)?.state;
    return typeof state === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}
