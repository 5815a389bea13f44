import {
  BadRequestException,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { z } from 'zod';
import { CONFIG } from '@metertwin/service-kit';
import { ImageRejectedError } from '@metertwin/vision';
import { readRawBody } from './body.js';
import { CaptureService, type AcceptedCapture } from './capture.service.js';
import type { IngestEnv } from './config.js';
import { DeviceTokenGuard, type DeviceRequest } from './device-token.guard.js';
import { QueueDepthGuard } from './queue-depth.guard.js';
import { UnreadBodyFilter } from './unread-body.filter.js';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
/** A device clock may run a little fast; a frame from further ahead would stay "latest" for years. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** A device that buffered frames while offline sends them late, but not years late. */
const MAX_AGE_MS = 366 * 24 * 3_600_000;
const TakenAtSchema = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .refine((at) => at.getTime() <= Date.now() + MAX_CLOCK_AHEAD_MS, 'X-Taken-At is in the future (more than 5 minutes ahead of the server)')
  .refine((at) => at.getTime() >= Date.now() - MAX_AGE_MS, 'X-Taken-At is more than a year ago')
  .optional();

/** Devices push frames here: the image as the raw body, or multipart with an `image` field. */
@Controller('v1/meters/:meterId/captures')
@UseFilters(UnreadBodyFilter)
export class CapturesController {
  constructor(
    private readonly captures: CaptureService,
    @Inject(CONFIG) private readonly config: IngestEnv,
  ) {}

  @Post()
  @HttpCode(202)
  @UseGuards(DeviceTokenGuard, QueueDepthGuard)
  @UseInterceptors(FileInterceptor('image'))
  async upload(
    @Param('meterId') meterId: string,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-taken-at') takenAtHeader: string | undefined,
    @Req() req: DeviceRequest,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<AcceptedCapture> {
    const { deviceId } = req.device;
    const takenAt = TakenAtSchema.safeParse(takenAtHeader);
    if (!takenAt.success) {
      const invalidFormat = takenAt.error.issues.some((i) => i.code === 'invalid_format');
      throw new BadRequestException(invalidFormat ? 'X-Taken-At must be an ISO 8601 date-time with offset' : takenAt.error.issues[0]!.message);
    }

    const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    let bytes: Buffer;
    if (file) bytes = file.buffer;
    else if (IMAGE_TYPES.has(mediaType)) bytes = await readRawBody(req, this.config.MAX_IMAGE_BYTES);
    else {
      throw new UnsupportedMediaTypeException(
        'send the frame as an image/jpeg or image/png body, or as multipart/form-data with an "image" field',
      );
    }

    try {
      return await this.captures.accept({
        meterId,
        deviceId,
        bytes,
        source: 'upload',
        takenAt: takenAt.data ?? new Date(),
      });
    } catch (error) {
      if (error instanceof ImageRejectedError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}
