/** Why an uploaded frame was refused. Stable codes: services map them to statuses and log them. */
export type ImageRejectReason =
  | 'empty'
  | 'unsupported-format'
  | 'too-large'
  | 'corrupt'
  | 'timeout';

/** A frame that must not be processed: not JPEG/PNG, broken, too large or too slow to decode. */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';
  constructor(
    readonly reason: ImageRejectReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
