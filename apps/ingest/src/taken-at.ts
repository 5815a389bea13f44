import { z } from 'zod';

/** A device clock may run a little fast; a frame from further ahead would stay "latest" for years. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** A device that buffered frames while offline sends them late, but not years late. */
const MAX_AGE_MS = 366 * 24 * 3_600_000;

const TakenAtSchema = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .refine((at) => at.getTime() <= Date.now() + MAX_CLOCK_AHEAD_MS, 'is in the future (more than 5 minutes ahead of the server)')
  .refine((at) => at.getTime() >= Date.now() - MAX_AGE_MS, 'is more than a year ago')
  .optional();

/**
 * When a device says its frame was taken (HTTP `X-Taken-At`, MQTT `taken_at`): now when it says
 * nothing, else an ISO 8601 time with offset within the bounds above; a string saying what is wrong
 * (prefixed with `name`) otherwise.
 */
export function parseTakenAt(value: string | undefined, name: string): Date | string {
  const parsed = TakenAtSchema.safeParse(value);
  if (parsed.success) return parsed.data ?? new Date();
  const invalidFormat = parsed.error.issues.some((i) => i.code === 'invalid_format');
  return invalidFormat ? `${name} must be an ISO 8601 date-time with offset` : `${name} ${parsed.error.issues[0]!.message}`;
}
