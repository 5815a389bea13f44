import { z } from 'zod';

/**
 * Bounds every rule's config keeps within. Unbounded numbers were accepted before
 * (`maxIntervalMinutes: 1e15` made an Invalid Date and every notify job of the organization failed).
 */

/** The longest span any rule looks back over: a leap year. Also caps the history query. */
export const MAX_WINDOW_HOURS = 366 * 24;
export const MAX_WINDOW_MS = MAX_WINDOW_HOURS * 3_600_000;
/** Meter quantities (units, units per hour): far beyond any meter, well within float precision. */
export const MAX_QUANTITY = 1e9;

export const spanMinutes = () => z.number().positive().max(MAX_WINDOW_HOURS * 60);
export const spanHours = () => z.number().positive().max(MAX_WINDOW_HOURS);
export const quantity = () => z.number().min(-MAX_QUANTITY).max(MAX_QUANTITY);
export const positiveQuantity = () => z.number().positive().max(MAX_QUANTITY);
export const readingCount = () => z.number().int().min(1).max(10_000);
