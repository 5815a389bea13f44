import sharp from 'sharp';
import { ImageRejectedError } from './errors.js';

/** Frames larger than this (width × height) are refused before any pixel is decoded. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Frames larger than this many bytes are refused before sharp sees them. */
export const MAX_INPUT_BYTES = 30 * 1024 * 1024;

export interface ImageInfo {
  format: 'jpeg' | 'png';
  /** Size after applying the EXIF orientation (what every other function of this package sees). */
  width: number;
  height: number;
  channels: number;
  hasAlpha: boolean;
  /** EXIF orientation 1–8 when present. */
  orientation?: number;
  bytes: number;
}

export interface ProbeOptions {
  maxPixels?: number;
  maxBytes?: number;
  /** Seconds libvips may spend decoding (default 10). */
  timeoutSeconds?: number;
}

function sniff(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
}

/**
 * Validates a camera frame and returns its metadata. Only JPEG and PNG are accepted (sniffed from
 * the bytes, not trusted from a name or a header). The header is read first and frames over
 * `maxPixels` are refused without decoding; then the whole image is decoded into a small thumbnail
 * (shrink-on-load, so memory stays small) to catch truncated or corrupt data.
 * @throws ImageRejectedError
 */
export async function probeImage(bytes: Uint8Array, options: ProbeOptions = {}): Promise<ImageInfo> {
  const info = await readHeader(bytes, options);
  await decodeOrReject(info, () =>
    sharp(bytes, { limitInputPixels: options.maxPixels ?? MAX_INPUT_PIXELS, failOn: 'truncated' })
      .timeout({ seconds: options.timeoutSeconds ?? 10 })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer(),
  );
  return info;
}

/**
 * `probeImage`'s checks without the thumbnail decode: the format, the byte and pixel limits and the
 * header. For a caller that decodes the whole image next anyway (`decodeOrReject` then catches what
 * the thumbnail would have: decoding a frame twice cost 3 of decodeFrame's 8 ms CPU).
 * @throws ImageRejectedError
 */
export async function readHeader(bytes: Uint8Array, options: ProbeOptions = {}): Promise<ImageInfo> {
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  if (bytes.length === 0) throw new ImageRejectedError('empty', 'image is empty (0 bytes)');
  if (bytes.length > maxBytes) {
    throw new ImageRejectedError('too-large', `image has ${bytes.length} bytes, more than the limit of ${maxBytes}`);
  }
  const format = sniff(bytes);
  if (!format) throw new ImageRejectedError('unsupported-format', 'not a JPEG or PNG image');

  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'truncated', limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageRejectedError('corrupt', `unreadable ${format} header: ${message(error)}`, { cause: error });
  }
  const { width, height } = meta;
  if (!width || !height) throw new ImageRejectedError('corrupt', `${format} header has no size`);
  if (width * height > maxPixels) {
    throw new ImageRejectedError(
      'too-large',
      `image is ${width}×${height} = ${((width * height) / 1e6).toFixed(1)} MP, more than the limit of ${(maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    format,
    width: swap ? height : width,
    height: swap ? width : height,
    channels: meta.channels ?? 3,
    hasAlpha: meta.hasAlpha ?? false,
    ...(meta.orientation ? { orientation: meta.orientation } : {}),
    bytes: bytes.length,
  };
}

/** Runs a decode of the image `info` describes; its failure becomes an ImageRejectedError (timeout or corrupt). */
export async function decodeOrReject<T>(info: Pick<ImageInfo, 'format'>, decode: () => Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    const text = message(error);
    if (/timeout/i.test(text)) throw new ImageRejectedError('timeout', `decoding took too long: ${text}`, { cause: error });
    throw new ImageRejectedError('corrupt', `corrupt ${info.format} data: ${text}`, { cause: error });
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim();
}
