import { Inject, Injectable } from '@nestjs/common';
import {
  findCommand,
  findCommandWithActuator,
  findOrgActuator,
  getCommandWithOrg,
  markCommandSent,
  openActuatorConfig,
  recordActuationCommand,
  recordAudit,
  recordCommandError,
  recordCommandFinished,
  requestManualCommand,
  requesterActor,
  type Requester,
} from '@metertwin/alarms';
import { z } from 'zod';
import { QueueName, type ActuationJob } from '@metertwin/contracts';
import type { ActuationCommand, Alarm, Prisma, PrismaClient, Rule, SecretBox } from '@metertwin/db';
import { CONFIG, OnJob, PRISMA, QueueService, QueueUnavailableError, SECRETS, UnrecoverableError, type JobContext } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { ActuationRefusedError, ActuationTimeoutError, type ActuatorAdapter } from './actuator-adapter.js';
import { deterministicUuid } from './deterministic-id.js';
import { HttpActuatorAdapter } from './http-actuator.adapter.js';
import { MqttActuatorAdapter } from './mqtt-actuator.adapter.js';
import { OutboundPolicies } from '../outbound-policies.js';
import { RuleActionsSchema } from '@metertwin/rules';

const MAX_ERROR_LENGTH = 500;

/** The command is recorded, but Redis did not take its job: the reconciler sends it later. */
export class CommandNotQueuedError extends QueueUnavailableError {
  constructor(
    readonly command: ActuationCommand,
    cause: QueueUnavailableError,
  ) {
    super(`command ${command.id} is recorded and will be sent when the queue is back (${cause.message})`);
  }
}


/**
 * Commands to actuators. A command is an ActuationCommand row first (the audit trail exists before
 * anything is sent), then an `actuation` job whose id is the command id, so a retried or duplicated
 * job never makes a second command; the device gets the command id too, to drop a repeated send.
 * The worker marks the row sent, hands it to the adapter of the actuator's kind and records
 * confirmed (with the state the device reports), timeout or failed.
 */
@Injectable()
export class ActuationService {
  private readonly adapters: Record<string, ActuatorAdapter>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    private readonly queues: QueueService,
    private readonly policies: OutboundPolicies,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    http: HttpActuatorAdapter,
    mqtt: MqttActuatorAdapter,
  ) {
    this.adapters = { http, mqtt };
  }

  /**
   * Records (the alarms package's recordActuationCommand, audited) and queues one command. `id` makes
   * it idempotent (a rule's action for one alarm); a second request with the same id returns the first.
   */
  async request(input: { actuatorId: string; command: string; requestedBy: Requester; alarmId?: string; id?: string }): Promise<ActuationCommand> {
    return this.queueIfPending(await recordActuationCommand(this.prisma, input));
  }

  /** A person's command through the API: checked and recorded as the portal's are, then queued. */
  async requestManual(request: { orgId: string; actuatorId: string; userId: string; command: string }): Promise<ActuationCommand> {
    return this.queueIfPending(await requestManualCommand(this.prisma, request));
  }

  /** Throws CommandNotQueuedError when Redis does not take the job (the command stands; the reconciler sends it). */
  private async queueIfPending(command: ActuationCommand): Promise<ActuationCommand> {
    if (command.status === 'pending') {
      try {
        await this.enqueue(command.id);
      } catch (error) {
        if (error instanceof QueueUnavailableError) throw new CommandNotQueuedError(command, error);
        throw error;
      }
    }
    return command;
  }

  /** Queues the command's delivery; the job id is the command id, so a command is queued once. */
  enqueue(commandId: string): Promise<void> {
    return this.queues.add(QueueName.Actuation, { v: 1, commandId } satisfies ActuationJob, {
      jobId: commandId,
      attempts: this.config.ACTUATION_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1_000 },
    });
  }

  /** Records a command that could not be delivered as failed, audited like any outcome. */
  async abandon(commandId: string, reason: string): Promise<void> {
    const command = await getCommandWithOrg(this.prisma, commandId);
    if (command.status === 'pending' || command.status === 'sent') await this.finish(command, 'failed', { error: reason.slice(0, MAX_ERROR_LENGTH) });
  }

  /**
   * Runs the rule's actions for this alarm event (`raise` when it opened, `clear` when the rule
   * cleared it). An actuator under manual override is left alone; that is audited instead.
   */
  async runRuleActions(rule: Pick<Rule, 'id' | 'actions'>, alarm: Pick<Alarm, 'id' | 'orgId'>, on: 'raise' | 'clear'): Promise<ActuationCommand[]> {
    const parsed = RuleActionsSchema.safeParse(rule.actions);
    if (!parsed.success) throw new UnrecoverableError(`rule ${rule.id} has invalid actions: ${parsed.error.message}`);
    const commands: ActuationCommand[] = [];
    for (const [index, action] of parsed.data.entries()) {
      if (action.on !== on) continue;
      const actuator = await findOrgActuator(this.prisma, alarm.orgId, action.actuatorId);
      const id = deterministicUuid(`${alarm.id}:${on}:${index}`);
      if (!actuator) continue; // deleted since the rule was written; the rules API checks it on write
      if (actuator.overrideUntil && actuator.overrideUntil > new Date() && !(await findCommand(this.prisma, id))) {
        await this.audit(actuator.orgId, { rule: rule.id }, 'actuation.skipped', actuator.id, {
          alarmId: alarm.id,
          command: action.command,
          reason: `manual override until ${actuator.overrideUntil.toISOString()}`,
        });
        continue;
      }
      commands.push(await this.request({ id, actuatorId: actuator.id, command: action.command, requestedBy: { rule: rule.id }, alarmId: alarm.id }));
    }
    return commands;
  }

  private audit(orgId: string, requester: Requester, action: string, actuatorId: string, data: Record<string, unknown>) {
    return recordAudit(this.prisma, requesterActor(orgId, requester), action, { type: 'actuator', id: actuatorId }, data as Prisma.InputJsonValue);
  }

  @OnJob({ queue: QueueName.Actuation, concurrency: 8 })
  async deliver(job: ActuationJob, { log, finalAttempt }: JobContext): Promise<void> {
    const command = await findCommandWithActuator(this.prisma, job.commandId);
    if (!command) throw new UnrecoverableError(`actuation command ${job.commandId} does not exist`);
    // Confirmed, timed out or failed already: a duplicate job. `sent` is sent again (the worker may
    // have stopped while waiting); the device drops a command id it has seen.
    if (command.status !== 'pending' && command.status !== 'sent') return;
    const { actuator } = command;
    const adapter = this.adapters[actuator.kind];
    if (!adapter) {
      await this.finish(command, 'failed', { error: `unknown actuator kind "${actuator.kind}"` });
      throw new UnrecoverableError(`unknown actuator kind "${actuator.kind}"`);
    }
    await markCommandSent(this.prisma, command.id);
    try {
      const outcome = await adapter.send(
        openActuatorConfig(actuator.kind, actuator.config, this.secrets),
        { commandId: command.id, actuatorId: actuator.id, command: command.command },
        { timeoutMs: this.config.ACTUATION_TIMEOUT_MS, policy: await this.policies.forOrg(actuator.orgId) },
      );
      await this.finish(command, 'confirmed', { state: outcome.state });
      log.info({ commandId: command.id, actuatorId: actuator.id, state: outcome.state }, 'actuation confirmed');
    } catch (error) {
      const message = (error as Error).message.slice(0, MAX_ERROR_LENGTH);
      if (error instanceof ActuationTimeoutError) {
        // Not retried: the device may have acted without confirming; an operator decides.
        await this.finish(command, 'timeout', { error: message });
        log.warn({ commandId: command.id, actuatorId: actuator.id }, 'actuation timed out');
        return;
      }
      // A refusal or a broken actuator config will not get better by retrying.
      const refused = error instanceof ActuationRefusedError || error instanceof z.ZodError;
      if (refused || finalAttempt) {
        await this.finish(command, 'failed', { error: message });
        if (refused) throw new UnrecoverableError(message);
      } else {
        await recordCommandError(this.prisma, command.id, message);
      }
      throw error;
    }
  }

  private finish(command: ActuationCommand & { actuator: { orgId: string } }, status: 'confirmed' | 'timeout' | 'failed', result: { state?: string; error?: string }) {
    return recordCommandFinished(this.prisma, command, status, result);
  }
}
