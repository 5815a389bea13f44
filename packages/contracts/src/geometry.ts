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

/**
 * Where a meter's counter sits on its reference photo. Set up once per meter; every frame is
 * mapped onto the reference before cropping, so these boxes stay valid while the camera is still.
 */
export const CounterLayoutSchema = z.object({
  v: z.literal(1),
  /** Size of the reference photo the boxes were drawn on. */
  reference: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  /** The rolling-digit window, when known. */
  window: BoxSchema.optional(),
  /** Digit drums, most significant first. */
  digits: z.array(BoxSchema).min(1).max(12),
  /** Red sub-unit pointer dials, most significant first. */
  pointers: z.array(BoxSchema).max(6).default([]),
  /** Alignment marks on the reference: when present, every frame is registered to the reference before cropping. */
  alignment: AlignmentSchema.optional(),
});
export type CounterLayout = z.infer<typeof CounterLayoutSchema>;

/** An image crop at the recognizer's input size, raw interleaved pixels in base64. */
export const CropImageSchema = z.object({
  width: z.number().int().positive().max(256),
  height: z.number().int().positive().max(256),
  channels: z.union([z.literal(1), z.literal(3)]),
  data: z.string().max(256 * 256 * 3 * 2),
});
export type CropImage = z.infer<typeof CropImageSchema>;
