import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';

/** A declared body up to this size is read and discarded behind a refusal; a larger or unsized one is cut off. */
const DISCARD_LIMIT = 16 * 1024 * 1024;

/**
 * An upload refused before its body was read (wrong token, unknown meter, too large) leaves bytes on
 * the connection. A body of a declared, modest size is discarded as it arrives (never buffered), so
 * a device still sending reads the answer instead of a reset; anything else gets the connection
 * closed after the answer, so a client cannot send its next request into the leftover bytes.
 */
@Catch()
export class UnreadBodyFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.complete) {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared <= DISCARD_LIMIT) req.resume();
      else http.getResponse<Response>().setHeader('Connection', 'close');
    }
    super.catch(exception, host);
  }
}
