import { z } from 'zod';

/** A rectangle in image pixels: [x, y, width, height], the form the CLI and the portal print and draw. */
export const BoxSchema = z.tuple([
  z.number().nonnegative(),
  z.number().nonnegative(),
  z.number().positive(),
  z.number().positive(),
]);
export type Box = z.infer<typeof BoxSchema>;

/** A small grey image (one byte per pixel, base64), e.g. an alignment mark cut from the reference photo. */
export const GreyPatchSchema = z.object({
  width: z.number().int().positive().max(256),
  height: z.number().int().positive().max(256),
  data: z.string().max(256 * 256 * 2),
});
export type GreyPatch = z.infer<typeof GreyPatchSchema>;

/**
 * What a frame is registered against: distinctive patches of the reference photo (window corners,
 * printed text) that do not change between frames. The patches are stored at `scale` x the reference
 * resolution (kept small: the layout lives in the database).
 */
export const AlignmentSchema = z.object({
  scale: z.number().positive().max(1),
  marks: z.array(z.object({ box: BoxSchema, patch: GreyPatchSchema })).min(2).max(16),
});
export type Alignment = z.infer<typeof AlignmentSchema>;

/** A point in image pixels: [x, y]. */
export const PointSchema = z.tuple([z.number(), z.number()]);
export type Point = z.infer<typeof PointSchema>;

/**
 * A counter window as four corners in the photo: top-left, top-right, bottom-right, bottom-left in
 * the order the digits read (so a counter turned 180° starts at the photo's bottom right).
 */
export const QuadSchema = z.tuple([PointSchema, PointSchema, PointSchema, PointSchema]);
export type Quad = z.infer<typeof QuadSchema>;

/** A pointer dial: centre and radius of its scale ring, [cx, cy, r], in image pixels. */
export const CircleSchema = z.tuple([z.number(), z.number(), z.number().positive()]);
export type Circle = z.infer<typeof CircleSchema>;

/** Drums a counter may have. */
export const MAX_DRUMS = 12;
/** A quad side or a drum narrower than this cannot be read. */
const MIN_QUAD_SIDE_PX = 8;
const MIN_DRUM_WIDTH_PX = 4;

/** Why a window quad cannot be a counter on a `size` photo; undefined when it can. */
export function quadProblem(quad: Quad, size: { width: number; height: number }, drums = 1): string | undefined {
  if (quad.some(([x, y]) => !(x >= 0 && y >= 0 && x <= size.width && y <= size.height))) {
    return `a corner of the window quad lies outside the ${size.width}×${size.height} photo`;
  }
  const side = (i: number) => Math.hypot(quad[(i + 1) % 4]![0] - quad[i]![0], quad[(i + 1) % 4]![1] - quad[i]![1]);
  // z of (b − a) × (c − b) at each corner: all positive ⇔ convex and clockwise on screen (y down)
  const turns = quad.map((b, i) => {
    const a = quad[(i + 3) % 4]!;
    const c = quad[(i + 1) % 4]!;
    return (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
  });
  if (turns.every((t) => t < 0)) return 'the window quad runs counter-clockwise: give its corners as top-left, top-right, bottom-right, bottom-left';
  if (!turns.every((t) => t > 0)) return 'the window quad crosses itself or is not convex: give its corners as top-left, top-right, bottom-right, bottom-left';
  if (Math.min(side(0), side(1), side(2), side(3)) < MIN_QUAD_SIDE_PX) return `the window quad is degenerate: a side is shorter than ${MIN_QUAD_SIDE_PX} px`;
  if (Math.min(side(0), side(2)) / drums < MIN_DRUM_WIDTH_PX) return `the window quad is too small for ${drums} drums: each would be narrower than ${MIN_DRUM_WIDTH_PX} px`;
  return undefined;
}

/** Why a dial cannot be on a `size` photo; undefined when it can. */
export function circleProblem([cx, cy, r]: Circle, size: { width: number; height: number }): string | undefined {
  if (cx - r < 0 || cy - r < 0 || cx + r > size.width || cy + r > size.height) {
    return `the dial [${cx}, ${cy}, ${r}] does not lie inside the ${size.width}×${size.height} photo`;
  }
  return undefined;
}

/**
 * Where a meter's counter sits on its reference photo. Set up once per meter; every frame is
 * mapped onto the reference before cropping, so these boxes stay valid while the camera is still.
 */
export const CounterLayoutSchema = z
  .object({
    v: z.literal(1),
    /** Size of the reference photo the boxes were drawn on. */
    reference: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
    /** The rolling-digit window, when known. */
    window: BoxSchema.optional(),
    /**
     * Digit drums, most significant first. With `windowQuad` these are only the bounds of the drum
     * cells (for drawing and counting): the drums are cut from the rectified quad.
     */
    digits: z.array(BoxSchema).min(1).max(MAX_DRUMS),
    /** Red sub-unit pointer dials, most significant first (with `dials`: their bounds). */
    pointers: z.array(BoxSchema).max(6).default([]),
    /** The window as a quadrilateral (a rotated or tilted counter): split into `digits.length` equal drums. */
    windowQuad: QuadSchema.optional(),
    /** Dials as circles, cut as squares turned into the counter's orientation (needs `windowQuad`). */
    dials: z.array(CircleSchema).max(6).optional(),
    /** Alignment marks on the reference: when present, every frame is registered to the reference before cropping. */
    alignment: AlignmentSchema.optional(),
  })
  .superRefine((layout, ctx) => {
    const { windowQuad, dials, reference } = layout;
    if (windowQuad) {
      const problem = quadProblem(windowQuad, reference, layout.digits.length);
      if (problem) ctx.addIssue({ code: 'custom', path: ['windowQuad'], message: problem });
    }
    if (dials) {
      if (!windowQuad) ctx.addIssue({ code: 'custom', path: ['dials'], message: 'dials need a windowQuad (their "0" points to the counter\'s up)' });
      if (dials.length !== layout.pointers.length) ctx.addIssue({ code: 'custom', path: ['pointers'], message: 'pointers must be the bounds of the dials' });
      dials.forEach((dial, i) => {
        const problem = circleProblem(dial, reference);
        if (problem) ctx.addIssue({ code: 'custom', path: ['dials', i], message: problem });
      });
    }
  });
export type CounterLayout = z.infer<typeof CounterLayoutSchema>;

/**
 * A counter marked as a quadrilateral on a photo (what `metertwin read --meter` accepts): corners of
 * the window, how many drums it holds and how many of them are decimals, and the pointer dials.
 */
export const QuadMeterSchema = z
  .object({
    windowQuad: QuadSchema,
    drums: z.int().min(1).max(MAX_DRUMS),
    decimals: z.int().min(0).default(0),
    dials: z.array(CircleSchema).max(6).default([]),
  })
  .refine((m) => m.decimals <= m.drums, { message: 'decimals exceed the number of drums', path: ['decimals'] });
export type QuadMeter = z.infer<typeof QuadMeterSchema>;

/** An image crop at the recognizer's input size, raw interleaved pixels in base64. */
export const CropImageSchema = z.object({
  width: z.number().int().positive().max(256),
  height: z.number().int().positive().max(256),
  channels: z.union([z.literal(1), z.literal(3)]),
  data: z.string().max(256 * 256 * 3 * 2),
});
export type CropImage = z.infer<typeof CropImageSchema>;
