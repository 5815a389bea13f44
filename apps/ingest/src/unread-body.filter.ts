import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';

/**
 * An upload refused before its body was read (wrong token, unknown meter, too large) leaves bytes on
 * the connection; closing it after the answer keeps a client from sending its next request into them.
 */
@Catch()
export class UnreadBodyFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    if (!http.getRequest<Request>().complete) http.getResponse<Response>().setHeader('Connection', 'close');
    super.catch(exception, host);
  }
}
