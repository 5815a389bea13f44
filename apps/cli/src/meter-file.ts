import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CounterLayoutSchema, QuadMeterSchema, type CounterLayout } from '@metertwin/contracts';
import { ReadingRulesSchema, type ReadingRules } from '@metertwin/readings';
import { buildAlignment, decodeFrame, ImageRejectedError, probeImage, quadLayout } from '@metertwin/vision';

/** A meter file that cannot be used, with what is wrong in it. */
export class MeterFileError extends Error {}

/** A CounterLayout (what compose writes) plus how many drums are decimals and the reading rules. */
const LayoutFileSchema = CounterLayoutSchema.extend({
  decimals: z.int().min(0).default(0),
  readingRules: ReadingRulesSchema.prefault({}),
}).refine((m) => m.decimals <= m.digits.length, { message: 'decimals exceed the number of digit boxes' });

/** A counter marked as a quadrilateral on the photo being read: `{ windowQuad, drums, decimals, dials }`. */
const QuadFileSchema = QuadMeterSchema.safeExtend({ readingRules: ReadingRulesSchema.prefault({}) });

export interface MeterFile {
  layout: CounterLayout;
  decimals: number;
  readingRules: ReadingRules;
}

/**
 * Reads `--meter FILE` for the photo `image`: either a CounterLayout (+ decimals, readingRules), or
 * a quad meter file, whose corners and dials are pixels of the photo they were marked on: `reference`
 * when given (later frames are then registered to it through alignment marks cut from it, as the
 * services do), else `image` itself.
 * `nested` also takes the layout from under a "layout" key (what `locate` always accepted).
 */
export async function loadMeterFile(
  file: string,
  image: Uint8Array,
  { nested = false, reference }: { nested?: boolean; reference?: Uint8Array } = {},
): Promise<MeterFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MeterFileError(`cannot read meter file ${file}: ${(error as Error).message}`);
  }
  if (nested && raw && typeof raw === 'object' && 'layout' in raw) raw = (raw as { layout: unknown }).layout;
  const invalid = (error: z.ZodError) =>
    new MeterFileError(`invalid meter file ${file}: ${error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`);
  if (raw && typeof raw === 'object' && 'windowQuad' in raw && !('digits' in raw)) {
    const parsed = QuadFileSchema.safeParse(raw);
    if (!parsed.success) throw invalid(parsed.error);
    const { windowQuad, drums, dials, decimals, readingRules } = parsed.data;
    try {
      if (reference) {
        const frame = await decodeFrame(reference);
        const layout = quadLayout({ windowQuad, drums, dials }, { width: frame.width, height: frame.height });
        return { layout: { ...layout, alignment: await buildAlignment(frame, layout) }, decimals, readingRules };
      }
      // probeImage's size is the upright one (EXIF orientation applied), as the photo is read
      const { width, height } = await probeImage(image);
      return { layout: quadLayout({ windowQuad, drums, dials }, { width, height }), decimals, readingRules };
    } catch (error) {
      if (error instanceof z.ZodError) throw invalid(error);
      if (reference && !(error instanceof ImageRejectedError)) throw new MeterFileError(`cannot use the reference photo: ${(error as Error).message}`);
      throw error;
    }
  }
  const parsed = LayoutFileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error);
  const { decimals, readingRules, ...layout } = parsed.data;
  return { layout, decimals, readingRules };
}
