import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { BoxSchema, CounterLayoutSchema, QuadSchema, type CounterLayout } from '@metertwin/contracts';
import { z } from 'zod';

// Loaded by Node at run time, not bundled: vision reaches its sample data through import.meta.url.
const vision = () => import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@metertwin/vision');

const CaptureCropsSchema = z
  .object({ digits: z.array(BoxSchema).min(1), counter: z.object({ quad: QuadSchema }).loose().optional() })
  .loose();

export interface TrainingCrop {
  index: number;
  png: Buffer;
  sha256: string;
}

/**
 * The capture's digit crops at the recognizer's input size, cut where preprocess found the digits in
 * this very frame (Capture.crops.digits, or the window quad it found, `counter.quad`, rectified as
 * preprocess did: a turned counter's upright boxes hold tilted digits); the meter's layout when
 * preprocess left no boxes.
 */
export async function trainingCrops(
  bytes: Buffer,
  captureCrops: unknown,
  meterLayout: unknown,
): Promise<TrainingCrop[]> {
  const { cropDigits, decodeFrame, quadLayout } = await vision();
  const frame = await decodeFrame(bytes);
  const boxes = CaptureCropsSchema.safeParse(captureCrops);
  let layout: CounterLayout;
  const found = boxes.success ? boxes.data.counter : undefined;
  if (found) {
    layout = quadLayout({ windowQuad: found.quad, drums: boxes.data!.digits.length }, frame);
  } else if (boxes.success) {
    layout = {
      v: 1,
      reference: { width: frame.width, height: frame.height },
      digits: boxes.data.digits,
      pointers: [],
    };
  } else {
    const parsed = CounterLayoutSchema.safeParse(meterLayout);
    if (!parsed.success) return [];
    layout = { ...parsed.data, pointers: [] };
  }
  const crops = await cropDigits(frame, layout);
  return Promise.all(
    crops
      .filter((c) => c.kind === 'digit')
      .map(async (c) => {
        const raw = Buffer.from(c.image.data, 'base64');
        const png = await sharp(raw, {
          raw: { width: c.image.width, height: c.image.height, channels: c.image.channels },
        })
          .png()
          .toBuffer();
        return { index: c.index, png, sha256: createHash('sha256').update(png).digest('hex') };
      }),
  );
}
