import { z } from 'zod';

/**
 * Volumetric heat capacity of water, kWh per m³ and kelvin (4.187 kJ/(kg·K) × 1000 kg/m³ ÷ 3600).
 * Hot water is a few percent less dense, so certified heat meters use a temperature-dependent k-factor
 * (EN 1434); this constant is for estimates from a water counter, not for billing.
 */
export const WATER_KWH_PER_M3_K = 1.163;

/** `Meter.conversion`: how a heat meter's counter units become energy. */
export const ConversionSchema = z.discriminatedUnion('kind', [
  /** The meter's own factor: kWh per counter unit. */
  z.object({ kind: z.literal('factor'), kWhPerUnit: z.number().positive() }),
  /** Water volume through a circuit with known flow and return temperatures. */
  z
    .object({
      kind: z.literal('thermal'),
      flowTempC: z.number(),
      returnTempC: z.number(),
      /** m³ per counter unit: 0.001 for a counter in litres. */
      m3PerUnit: z.number().positive().default(1),
      kWhPerM3K: z.number().positive().default(WATER_KWH_PER_M3_K),
    })
    .refine((c) => c.flowTempC >= c.returnTempC, {
      message: 'a heating circuit returns cooler than it flows: returnTempC must not exceed flowTempC',
      params: { code: 'return-above-flow' },
    }),
]);

export type Conversion = z.output<typeof ConversionSchema>;

/** kWh for `volume` counter units: volume × factor, or m³ × 1.163 × (flow − return temperature). */
export function toEnergy(volume: number, conversion: Conversion): number {
  if (conversion.kind === 'factor') return volume * conversion.kWhPerUnit;
  const m3 = volume * conversion.m3PerUnit;
  return m3 * conversion.kWhPerM3K * (conversion.flowTempC - conversion.returnTempC);
}

/**
 * kWh used over a reading's interval, for a meter with a `Meter.conversion`; null without a conversion
 * or without a trustworthy interval. An invalid conversion is reported, not guessed at.
 */
export function intervalEnergy(
  consumption: number | null,
  conversion: unknown,
): { energy: number | null; error: string | null } {
  if (conversion === null || conversion === undefined) return { energy: null, error: null };
  const parsed = ConversionSchema.safeParse(conversion);
  if (!parsed.success)
    return { energy: null, error: `invalid Meter.conversion: ${parsed.error.issues[0]?.message}` };
  return { energy: consumption === null ? null : toEnergy(consumption, parsed.data), error: null };
}
