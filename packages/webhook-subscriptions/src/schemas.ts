import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '@metertwin/contracts';

/** The bodies that create and change a subscription, the same for notify's API and the portal. */

const Events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .transform((events) => [...new Set(events)]);
const Url = z.url({ protocol: /^https?$/ }).max(2000);

export const CreateWebhookSchema = z
  .object({
    url: Url,
    events: Events,
    secret: z.string().min(16).max(200).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateWebhookInput = z.output<typeof CreateWebhookSchema>;

export const UpdateWebhookSchema = z
  .object({ url: Url, events: Events, enabled: z.boolean(), rotateSecret: z.literal(true) })
  .partial()
  .strict();
export type UpdateWebhookInput = z.output<typeof UpdateWebhookSchema>;
