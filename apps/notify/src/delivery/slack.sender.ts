import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import { WebhookHeader } from '@metertwin/contracts';
import { CONFIG, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { checkDestination, RefusedDestinationError } from '../webhook-guard.js';
import type { AlarmMessage } from './alarm-message.js';
import { PermanentDeliveryError, type ChannelSender, type OutgoingNotification, type SendOutcome } from './channel-sender.js';
import { postJson } from './post-json.js';
import { SlackChannelName } from './preferences.js';

/** Slack incoming webhooks (SlackChannel.webhookUrl), behind the same destination guard as webhooks. */
@Injectable()
export class SlackSender implements ChannelSender {
  readonly channel = SlackChannelName;
  readonly enabled = true;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
  ) {}

  async send({ target, message }: OutgoingNotification): Promise<SendOutcome> {
    const channel = await this.prisma.slackChannel.findUnique({ where: { id: target } });
    if (!channel || !channel.enabled) return { gone: 'Slack channel removed or disabled' };
    let destination;
    try {
      destination = await checkDestination(channel.webhookUrl, this.config.WEBHOOK_ALLOWED_HOSTS);
    } catch (error) {
      if (error instanceof RefusedDestinationError) throw new PermanentDeliveryError(error.message);
      throw error;
    }
    const { status, text } = await postJson(destination, slackBody(message), { [WebhookHeader.EventId]: message.eventId }, this.config.NOTIFY_TIMEOUT_MS);
    if (status >= 200 && status < 300) return { sent: true };
    const why = `Slack answered ${status}: ${text}`;
    if (status === 429 || status >= 500) throw new Error(why);
    // 400 invalid_payload, 403 action_prohibited, 404 no_service, 410 channel_is_archived: retrying cannot help.
    throw new PermanentDeliveryError(why);
  }
}

/** Slack's message: a fallback text, the alarm as a section, and the event id in a context line. */
export function slackBody(message: AlarmMessage) {
  const link = message.url ? `\n<${message.url}|Open in MeterTwin>` : '';
  return {
    text: `${message.title}: ${message.body}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(message.title)}*\n${escape(message.body)}${link}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `event ${message.eventId}` }] },
    ],
  };
}

/** Slack's mrkdwn needs &, < and > escaped. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
