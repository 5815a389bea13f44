import { Catch, type ArgumentsHost } from '@nestjs/common';
import { ServiceExceptionFilter } from '@metertwin/service-kit';
import type { Request } from 'express';

/** Behind a refusal, this much of the body is still read and discarded (never buffered)... */
const LINGER_BYTES = 64 * 1024 * 1024;
/** ...for at most this long after the refusal; then the connection is cut. */
const LINGER_MS = 5_000;

/**
 * An upload refused before its body was read (wrong token, unknown meter, too large) leaves bytes on
 * the connection. They are discarded as they arrive, so a device still sending reads the answer
 * instead of a reset (closing at once would have the kernel answer its next bytes with one), and the
 * connection stays fit for the next request. A body larger than LINGER_BYTES, or one still arriving
 * LINGER_MS after the refusal, gets the connection cut: nobody is served 50 MB of garbage for free.
 * The answer itself is ServiceExceptionFilter's (503 for a lost database, Retry-After).
 */
@Catch()
export class UnreadBodyFilter extends ServiceExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    if (!req.complete) discardRest(req);
    super.catch(exception, host);
  }
}

function discardRest(req: Request): void {
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS).unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
