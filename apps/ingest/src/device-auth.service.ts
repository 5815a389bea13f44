import { ForbiddenException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { hashDeviceToken, type PrismaClient } from '@metertwin/db';
import { PRISMA } from '@metertwin/service-kit';
import { findDeviceByTokenHash, meterExists } from './device.repository.js';
import { MeterArchivedError } from './meter-archived.error.js';

/** Resolves which device sends a frame, from its bearer token. */
@Injectable()
export class DeviceAuthService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Resolves the device that may upload to this meter, or throws 401/403/404 (410 for an archived meter) with the reason. */
  async authorize(meterId: string, authorization: string | undefined): Promise<{ deviceId: string }> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new UnauthorizedException('a device token is required: Authorization: Bearer <token>');
    const device = await findDeviceByTokenHash(this.prisma, hashDeviceToken(token));
    if (!device) throw new UnauthorizedException('unknown device token');
    if (device.meterId !== meterId) {
      if (!(await meterExists(this.prisma, meterId))) throw new NotFoundException(`meter ${meterId} not found`);
      throw new ForbiddenException(`this device token is not for meter ${meterId}`);
    }
    if (device.meter.archivedAt) throw new MeterArchivedError(meterId);
    return { deviceId: device.id };
  }
}
