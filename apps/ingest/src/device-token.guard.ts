import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DeviceAuthService } from './device-auth.service.js';

/** The device a request was authorized for, set by DeviceTokenGuard. */
export type DeviceRequest = Request & { device: { deviceId: string } };

/**
 * Checks the device token before anything reads the body: guards run before interceptors, so an
 * unauthorized upload is answered without multer buffering its (up to MAX_IMAGE_BYTES) file.
 */
@Injectable()
export class DeviceTokenGuard implements CanActivate {
  constructor(private readonly auth: DeviceAuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<DeviceRequest>();
    req.device = await this.auth.authorize(String(req.params.meterId), req.headers.authorization);
    return true;
  }
}
