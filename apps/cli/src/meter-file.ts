import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CounterLayoutSchema, QuadMeterSchema, type CounterLayout } from '@metertwin/contracts';
import { ReadingRulesSchema, type ReadingRules } from '@metertwin/readings';
import { probeImage, quadLayout } from '@metertwin/vision';

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
 * a quad meter file, whose corners and dials are pixels of that photo (it is the reference).
 * `nested` also takes the layout from under a "layout" key (what `locate` always accepted).
 */
export async function loadMeterFile(file: string, image: Uint8Array, { nested = false } = {}): Promise<MeterFile> {
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
      // probeImage's size is the upright one (EXIF orientation applied), as the photo is read
      const { width, height } = await probeImage(image);
      return { layout: quadLayout({ windowQuad, drums, dials }, { width, height }), decimals, readingRules };
    } catch (error) {
      if (error instanceof z.ZodError) throw invalid(error);
      throw error;
    }
  }
  const parsed = LayoutFileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error);
  const { decimals, readingRules, ...layout } = parsed.data;
  return { layout, decimals, readingRules };
}
