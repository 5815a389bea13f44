import type { OutboundPolicy } from '@metertwin/egress';

/** One command on its way to a device: the id travels with it so the device can drop a repeat. */
export interface OutgoingCommand {
  commandId: string;
  actuatorId: string;
  command: string;
}

/** What the device said: `confirmed` with the state it reports, if any. */
export interface CommandOutcome {
  state?: string;
}

/** No confirmation in time: the command may or may not have been carried out. */
export class ActuationTimeoutError extends Error {}
/** The device (or the adapter's checks) refused the command: retrying will not help. */
export class ActuationRefusedError extends Error {}

export interface SendOptions {
  timeoutMs: number;
  /** What the actuator's organization may reach (packages/egress): its device networks, the deployment's allow-list. */
  policy: OutboundPolicy;
}

/** Sends a command to one kind of actuator and resolves once the device confirmed it. */
export interface ActuatorAdapter {
  send(config: unknown, command: OutgoingCommand, options: SendOptions): Promise<CommandOutcome>;
}
