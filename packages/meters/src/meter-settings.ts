import { z } from 'zod';
import { DomainError, recordAudit, type Actor } from '@metertwin/alarms';
import { Prisma, type Meter, type PrismaClient } from '@metertwin/db';
import { ConversionSchema } from '@metertwin/readings';
import { isTimeZone } from '@metertwin/rules';
import { fieldChanges } from './field-changes.js';
import { findOrgMeterRow, updateMeter } from './meter.repository.js';

/**
 * What an operator may change on a meter after onboarding; every field optional, absent ones stay.
 * Decimals are checked against the meter's drums when saved (the schema does not know them).
 */
export const MeterSettingsSchema = z
  .object({
    name: z.string().trim().min(1, 'the meter needs a name').max(120),
    location: z.string().trim().max(200),
    timeZone: z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. Europe/Berlin)', params: { code: 'not-a-time-zone' } }),
    decimals: z.int().min(0).max(12),
    /** The cloud recognizer's role (recognize: off, fallback when the model is unsure, compare always). */
    ocrMode: z.enum(['off', 'fallback', 'compare']),
    /** How counter units become energy (heat meters); null removes the conversion. */
    conversion: ConversionSchema.nullable(),
  })
  .partial()
  .strict();
export type MeterSettingsInput = z.output<typeof MeterSettingsSchema>;

/**
 * Saves the meter's settings and one audit row `meter.settings.updated` with each changed field's
 * before and after, in one transaction; nothing changed, nothing written. Refusals are DomainErrors:
 * not-found for another organization's meter, invalid for decimals the counter's drums cannot hold.
 */
export async function updateMeterSettings(prisma: PrismaClient, actor: Actor, meterId: string, input: MeterSettingsInput): Promise<Meter> {
  return prisma.$transaction(async (tx) => {
    const meter = await findOrgMeterRow(tx, actor.orgId, meterId);
    if (!meter) throw new DomainError('not-found', 'meter not found', { code: 'meter-not-found' });
    if (input.decimals !== undefined && input.decimals > meter.digits) {
      throw new DomainError('invalid', `decimals: the counter has ${meter.digits} drums, so at most ${meter.digits} decimals`, {
        code: 'decimals-exceed-drums',
        params: { field: 'decimals', drums: meter.digits },
      });
    }
    const changes = fieldChanges(meter, input);
    if (Object.keys(changes).length === 0) return meter;
    const { conversion, ...plain } = input;
    const data: Prisma.MeterUpdateInput = {
      ...plain,
      ...(conversion !== undefined ? { conversion: conversion ?? Prisma.DbNull } : {}),
    };
    const updated = await updateMeter(tx, meterId, data);
    await recordAudit(tx, actor, 'meter.settings.updated', { type: 'meter', id: meterId }, { changes });
    return updated;
  });
}
