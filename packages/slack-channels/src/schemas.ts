import { z } from 'zod';

/** The bodies that add and change a Slack channel, the same for notify's API and the portal. */

export const SLACK_SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;

const WebhookUrl = z.url({ protocol: /^https$/ }).max(2000);

export const CreateSlackChannelSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Slack's incoming webhook URL (https://hooks.slack.com/services/…): a credential. */
    webhookUrl: WebhookUrl,
    /** The least severe alarm the channel hears of. */
    minSeverity: z.enum(SLACK_SEVERITIES).default('major'),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateSlackChannelInput = z.output<typeof CreateSlackChannelSchema>;

export const UpdateSlackChannelSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    webhookUrl: WebhookUrl,
    minSeverity: z.enum(SLACK_SEVERITIES),
    enabled: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateSlackChannelInput = z.output<typeof UpdateSlackChannelSchema>;
