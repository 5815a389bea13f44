import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeFrame, ImageRejectedError, probeImage } from '../src/index.js';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG that claims 20000×20000 pixels (only a header and a tiny data chunk). */
function hugePngHeader(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function rejection(bytes: Uint8Array, read: (bytes: Uint8Array) => Promise<unknown> = probeImage): Promise<ImageRejectedError> {
  try {
    await read(bytes);
  } catch (error) {
    if (error instanceof ImageRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#456' } })
  .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><circle cx="320" cy="240" r="200" fill="#eee"/></svg>') }])
  .jpeg({ quality: 90 })
  .toBuffer();

describe('probeImage', () => {
  it('accepts a JPEG and a PNG and reports their size', async () => {
    expect(await probeImage(photo)).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    const png = await sharp(photo).png().toBuffer();
    expect(await probeImage(png)).toMatchObject({ format: 'png', width: 640, height: 480 });
  });

  it('applies the EXIF orientation to the reported size', async () => {
    const rotated = await sharp(photo).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await probeImage(rotated)).toMatchObject({ width: 480, height: 640, orientation: 6 });
  });

  it('rejects a truncated JPEG as corrupt', async () => {
    const error = await rejection(photo.subarray(0, Math.floor(photo.length / 2)));
    expect(error.reason).toBe('corrupt');
  });

  it('rejects a JPEG with a garbled header', async () => {
    const broken = Buffer.from(photo);
    broken.fill(0x55, 20, 400);
    const error = await rejection(broken);
    expect(error.reason).toBe('corrupt');
  });

  it('rejects a text file and an empty body', async () => {
    expect((await rejection(Buffer.from('hello, I am not an image\n'))).reason).toBe('unsupported-format');
    expect((await rejection(Buffer.alloc(0))).reason).toBe('empty');
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect((await rejection(gif)).reason).toBe('unsupported-format');
  });

  it('rejects a 20000×20000 PNG header quickly, without decoding', async () => {
    const t0 = performance.now();
    const error = await rejection(hugePngHeader());
    const ms = performance.now() - t0;
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/20000×20000/);
    expect(ms).toBeLessThan(500);
  });
});

describe('decodeFrame', () => {
  it("decodes a JPEG to sharp's upright RGB pixels", async () => {
    const rotated = await sharp(photo).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const frame = await decodeFrame(rotated);
    expect(frame).toMatchObject({ width: 480, height: 640, channels: 3 });
    expect(frame.data.equals(await sharp(rotated).rotate().raw().toBuffer())).toBe(true);
  });

  // it no longer decodes a thumbnail first (probeImage's check): its own decode must reject alike
  it('rejects what probeImage rejects, for the same reason', async () => {
    const garbled = Buffer.from(photo);
    garbled.fill(0x55, 20, 400);
    for (const [bytes, reason] of [
      [photo.subarray(0, Math.floor(photo.length / 2)), 'corrupt'],
      [garbled, 'corrupt'],
      [Buffer.from('hello, I am not an image\n'), 'unsupported-format'],
      [Buffer.alloc(0), 'empty'],
      [hugePngHeader(), 'too-large'],
    ] as const) {
      expect((await rejection(bytes, decodeFrame)).reason).toBe(reason);
      expect((await rejection(bytes)).reason).toBe(reason);
    }
  });
});
