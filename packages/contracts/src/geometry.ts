import { z } from 'zod';

/** A rectangle in image pixels: [x, y, width, height], the form the CLI and the portal print and draw. */
export const BoxSchema = z.tuple([
  z.number().nonnegative(),
  z.number().nonnegative(),
  z.number().positive(),
  z.number().positive(),
]);
export type Box = z.infer<typeof BoxSchema>;

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
