/** Why an uploaded frame was refused. Stable codes: services map them to statuses and log them. */
export type ImageRejectReason =
  | 'empty'
  | 'unsupported-format'
  | 'too-large'
  | 'corrupt'
  | 'timeout'
  /** The frame could not be registered to the meter's reference (camera moved a lot, view blocked). */
  | 'not-aligned'
  /** Nothing usable to read: black, blank, far too dark or blurred. */
  | 'low-quality';

/** A frame that must not be processed: not JPEG/PNG, broken, too large, too slow to decode, unalignable or unreadable. */
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
