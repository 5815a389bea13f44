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
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { z } from 'zod';
import { CONFIG } from '@metertwin/service-kit';
import { ImageRejectedError } from '@metertwin/vision';
import { readRawBody } from './body.js';
import { CaptureService, type AcceptedCapture } from './capture.service.js';
import type { IngestEnv } from './config.js';
import { DeviceAuthService } from './device-auth.service.js';
import { UnreadBodyFilter } from './unread-body.filter.js';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
const TakenAtSchema = z.iso.datetime({ offset: true }).optional();

/** Devices push frames here: the image as the raw body, or multipart with an `image` field. */
@Controller('v1/meters/:meterId/captures')
@UseFilters(UnreadBodyFilter)
export class CapturesController {
  constructor(
    private readonly auth: DeviceAuthService,
    private readonly captures: CaptureService,
    @Inject(CONFIG) private readonly config: IngestEnv,
  ) {}

  @Post()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('image'))
  async upload(
    @Param('meterId') meterId: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-taken-at') takenAtHeader: string | undefined,
    @Req() req: Request,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<AcceptedCapture> {
    const { deviceId } = await this.auth.authorize(meterId, authorization);
    const takenAt = TakenAtSchema.safeParse(takenAtHeader);
    if (!takenAt.success) throw new BadRequestException('X-Taken-At must be an ISO 8601 date-time with offset');

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
        takenAt: takenAt.data ? new Date(takenAt.data) : new Date(),
      });
    } catch (error) {
      if (error instanceof ImageRejectedError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}
