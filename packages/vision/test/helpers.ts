import sharp from 'sharp';

/** Pearson correlation of two equally long pixel arrays. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Grey pixels of an image file or raw RGB buffer resized to w×h. */
export async function greyOf(input: string | { data: Buffer; width: number; height: number }, w: number, h: number): Promise<Buffer> {
  const img = typeof input === 'string' ? sharp(input) : sharp(input.data, { raw: { width: input.width, height: input.height, channels: 3 } });
  return img.resize(w, h, { fit: 'fill' }).greyscale().raw().toBuffer();
}

/**
 * What drum `i`'s cell of a composed meter shows, grey at w×h: the placed real crop with half the
 * window's black gap at each side (a windowQuad is split at the drum pitch, not at the drum's edges).
 */
export async function cellGreyOf(meter: { layout: { windowQuad?: number[][]; digits: unknown[] }; truth: { digits: number[][]; wheels: { file: string }[] } }, i: number, w: number, h: number): Promise<Buffer> {
  const quad = meter.layout.windowQuad!;
  const pitch = Math.hypot(quad[1]![0]! - quad[0]![0]!, quad[1]![1]! - quad[0]![1]!) / meter.layout.digits.length;
  const [, , dw, dh] = meter.truth.digits[i]!;
  const pad = Math.max(0, Math.round((pitch - dw!) / 2));
  const cell = await sharp(meter.truth.wheels[i]!.file)
    .resize(dw!, dh!, { fit: 'fill' })
    .extend({ left: pad, right: pad, background: '#101010' })
    .png()
    .toBuffer();
  return sharp(cell).resize(w, h, { fit: 'fill' }).greyscale().raw().toBuffer();
}
