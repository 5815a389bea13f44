import { z } from 'zod';
import type { Severity } from '@metertwin/db';
import { RuleActionsSchema } from '@metertwin/rules';

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const satisfies readonly Severity[];

/** A new rule, from the portal's form or notify's API: one meter, one group of meters or every meter. */
export const NewRuleSchema = z
  .object({
    type: z.string().min(1).max(100),
    /** One meter, or null with `group` for a group, or both null for every meter of the organization. */
    meterId: z.uuid().nullable().default(null),
    group: z.string().trim().min(1).max(200).nullable().default(null),
    /** Checked by the rule type's own schema (createRule), which the registry knows. */
    config: z.record(z.string(), z.unknown()),
    severity: z.enum(SEVERITIES).default('major'),
    enabled: z.boolean().default(true),
    actions: RuleActionsSchema.default([]),
  })
  .strict()
  .refine((r) => !(r.meterId && r.group), {
    message: 'a rule targets a meter or a group, not both',
    path: ['group'],
    params: { code: 'rule-meter-and-group' },
  });
export type NewRule = z.infer<typeof NewRuleSchema>;

/** The fields an update changes; the others stay. A full NewRule replaces every field. */
export type RulePatch = Partial<NewRule>;

/** What a rule update may change; a rule's meter or group is fixed once created. */
export const RulePatchSchema = z
  .object({
    type: z.string().min(1).max(100),
    config: z.record(z.string(), z.unknown()),
    severity: z.enum(SEVERITIES),
    actions: RuleActionsSchema,
    enabled: z.boolean(),
  })
  .partial()
  .strict();
