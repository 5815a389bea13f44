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
import { CONFIG } from '@metertwin/service-kit';
import { ImageRejectedError } from '@metertwin/vision';
import { readRawBody } from './body.js';
import { CaptureService, type AcceptedCapture } from './capture.service.js';
import type { IngestEnv } from './config.js';
import { DeviceTokenGuard, type DeviceRequest } from './device-token.guard.js';
import { QueueDepthGuard } from './queue-depth.guard.js';
import { parseTakenAt } from './taken-at.js';
import { UnreadBodyFilter } from './unread-body.filter.js';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);

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
    const takenAt = parseTakenAt(takenAtHeader, 'X-Taken-At');
    if (typeof takenAt === 'string') throw new BadRequestException(takenAt);

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
        takenAt,
      });
    } catch (error) {
      if (error instanceof ImageRejectedError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}
