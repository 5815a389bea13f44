import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ActuatorSpecSchema, findActuatorConfigs, needsSealing, openActuatorConfig, sealActuatorConfig, updateActuatorConfig } from '@metertwin/alarms';
import type { Prisma, PrismaClient, SecretBox } from '@metertwin/db';
import { LOGGER, PRISMA, SECRETS, type Logger } from '@metertwin/service-kit';

/** Actuator credentials stored before they were sealed (or under a rotated-out key) are sealed at start. */
@Injectable()
export class ActuatorSecretsSealer implements OnApplicationBootstrap {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let sealed = 0;
    for (const actuator of await findActuatorConfigs(this.prisma)) {
      if (!needsSealing(actuator.kind, actuator.config, this.secrets)) continue;
      const spec = ActuatorSpecSchema.safeParse({ kind: actuator.kind, config: openActuatorConfig(actuator.kind, actuator.config, this.secrets) });
      if (!spec.success) continue; // a broken config fails its commands with the reason; nothing to seal
      await updateActuatorConfig(this.prisma, actuator.id, sealActuatorConfig(spec.data, this.secrets) as Prisma.InputJsonValue);
      sealed += 1;
    }
    if (sealed) this.log.info({ sealed }, 'sealed actuator credentials stored in plain text or under a previous key');
  }
}
