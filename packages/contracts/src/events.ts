import { z } from 'zod';

/** Messages on the live channel; the portal pushes them to browsers as server-sent events. */
export const LiveEventSchema = z.discriminatedUnion('type', [
  z.object({
    v: z.literal(1),
    type: z.literal('reading.stored'),
    meterId: z.string(),
    readingId: z.string(),
    captureId: z.string(),
    value: z.string().nullable(),
    status: z.string(),
    at: z.string(),
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('alarm.raised'),
    meterId: z.string(),
    alarmId: z.string(),
    severity: z.string(),
    message: z.string(),
    at: z.string(),
  }),
  z.object({
    v: z.literal(1),
    /** An alarm was acknowledged or cleared (by a person, or by its rule: by = 'system'). */
    type: z.literal('alarm.updated'),
    meterId: z.string(),
    alarmId: z.string(),
    status: z.enum(['acknowledged', 'cleared']),
    by: z.string(),
    at: z.string(),
  }),
  z.object({
    v: z.literal(1),
    type: z.literal('capture.failed'),
    meterId: z.string(),
    captureId: z.string(),
    reason: z.string(),
    at: z.string(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;
