import { z } from 'zod';

/**
 * What a rule does besides raising its alarm (Rule.actions): command an actuator when it raises
 * (`on: 'raise'`, the default) or when the alarm clears (`on: 'clear'`, e.g. reopen the valve).
 */
export const RuleActionSchema = z.object({
  type: z.literal('actuate'),
  actuatorId: z.uuid(),
  command: z.string().min(1).max(100),
  on: z.enum(['raise', 'clear']).default('raise'),
});
export const RuleActionsSchema = z.array(RuleActionSchema).max(20);
export type RuleAction = z.infer<typeof RuleActionSchema>;
