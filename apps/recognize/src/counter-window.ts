import sharp from 'sharp';
import { z } from 'zod';
import { BoxSchema, CounterLayoutSchema, QuadSchema, type Box } from '@metertwin/contracts';
import { rectifyCounter, scaleBox, unionBox } from '@metertwin/vision';

export interface CounterWindow {
  /** The window alone, as PNG: what is sent to a cloud OCR. */
  png: Buffer;
  /** The drum boxes relative to the window. */
  digitBoxes: Box[];
}

const CropsWindowSchema = BoxSchema;
/** The window quad preprocess found for a turned counter (Capture.crops.counter.quad). */
const CropsCounterSchema = z.object({ counter: z.object({ quad: QuadSchema }) });

/**
 * Where the counter window is in a capture: the box preprocess found (Capture.crops.window), else the
 * meter layout's window scaled to the frame, else the drums' union with a margin.
 */
export function windowBox(
  crops: unknown,
  layout: unknown,
  frame: { width: number; height: number },
  digitBoxes: Box[],
): Box {
  const stored =
    crops && typeof crops === 'object'
      ? CropsWindowSchema.safeParse((crops as { window?: unknown }).window)
      : undefined;
  if (stored?.success) return stored.data;
  const parsed = CounterLayoutSchema.safeParse(layout);
  if (parsed.success && parsed.data.window) return scaleBox(parsed.data.window, parsed.data.reference, frame);
  const [x, y, w, h] = unionBox(digitBoxes);
  const margin = Math.round(h * 0.15);
  return scaleBox([x - margin, y - margin, w + 2 * margin, h + 2 * margin], frame, frame);
}

/**
 * Cuts the counter window out of the stored photo (EXIF rotation applied, as preprocess sees it); a
 * turned counter's window quad is rectified to a level strip (its upright bounds would hold the
 * face around it and drums that overlap), with its drums split evenly.
 */
export async function cutWindow(
  image: Buffer,
  where: { crops: unknown; layout: unknown; digitBoxes: Box[] },
): Promise<CounterWindow> {
  const turned = CropsCounterSchema.safeParse(where.crops);
  if (turned.success) {
    const { frame, cells } = await rectifyCounter(image, turned.data.counter.quad, where.digitBoxes.length);
    const png = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).png().toBuffer();
    return { png, digitBoxes: cells };
  }
  const { data, info } = await sharp(image).rotate().toBuffer({ resolveWithObject: true });
  const frame = { width: info.width, height: info.height };
  const [left, top, width, height] = windowBox(where.crops, where.layout, frame, where.digitBoxes).map(
    Math.round,
  );
  const png = await sharp(data)
    .extract({ left: left!, top: top!, width: width!, height: height! })
    .png()
    .toBuffer();
  return {
    png,
    digitBoxes: where.digitBoxes.map(([x, y, w, h]): Box => [x - left!, y - top!, w, h]),
  };
}
