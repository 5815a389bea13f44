import { Injectable } from '@nestjs/common';
import { OutboundError, outboundRequest } from '@metertwin/egress';
import { ActuationRefusedError, ActuationTimeoutError, type ActuatorAdapter, type CommandOutcome, type OutgoingCommand, type SendOptions } from './actuator-adapter.js';
import { HttpActuatorConfigSchema } from '@metertwin/alarms';

/** The device's answer is read up to this size (a small JSON `{ state }`). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs the command to the actuator's URL through the organization's outbound policy (valves sit on
 * private networks: the organization lists them). A 2xx answer is the confirmation; a JSON body
 * `{ "state": "closed" }` reports the device's new state.
 */
@Injectable()
export class HttpActuatorAdapter implements ActuatorAdapter {
  async send(rawConfig: unknown, command: OutgoingCommand, { timeoutMs, policy }: SendOptions): Promise<CommandOutcome> {
    const config = HttpActuatorConfigSchema.parse(rawConfig);
    let answer;
    try {
      answer = await outboundRequest(config.url, {
        policy,
        method: 'POST',
        headers: { ...config.headers, 'content-type': 'application/json' },
        body: JSON.stringify(command),
        timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
      });
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      if (error.failure === 'timeout') throw new ActuationTimeoutError(error.message);
      if (error.failure === 'refused' || error.failure === 'invalid-url') throw new ActuationRefusedError(error.message);
      throw error;
    }
    if (answer.status >= 400 && answer.status < 500) throw new ActuationRefusedError(`actuator answered HTTP ${answer.status}`);
    if (answer.status < 200 || answer.status >= 300) throw new Error(`actuator answered HTTP ${answer.status}`);
    return { state: stateOf(answer.body.toString('utf8')) };
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
