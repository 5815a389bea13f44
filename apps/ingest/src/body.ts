import type { Request } from 'express';
import { PayloadTooLargeException } from '@nestjs/common';

/** Bodies this far over the limit are cut off instead of drained. */
const DRAIN_CAP = 8;

/**
 * Reads a raw request body up to `limit` bytes. An oversized body is drained (up to a cap) before
 * the 413 goes out, so the client reads the answer instead of a reset connection.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit * DRAIN_CAP) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > limit * DRAIN_CAP) {
      req.destroy();
      break;
    }
  }
  if (size > limit) throw tooLarge(limit);
  return Buffer.concat(chunks);
}

export function tooLarge(limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`image larger than ${limit} bytes`);
}
