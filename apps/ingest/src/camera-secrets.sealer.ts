import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { sealCameraPasswords, type PrismaClient, type SecretBox } from '@metertwin/db';
import { LOGGER, PRISMA, SECRETS, type Logger } from '@metertwin/service-kit';

/** Camera passwords stored before they were sealed (or under a rotated-out key) are sealed at start. */
@Injectable()
export class CameraSecretsSealer implements OnApplicationBootstrap {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SECRETS) private readonly secrets: SecretBox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const sealed = await sealCameraPasswords(this.prisma, this.secrets);
    if (sealed) this.log.info({ sealed }, 'sealed camera passwords stored in plain text or under a previous key');
  }
}
