import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import { WebhookHeader } from '@metertwin/contracts';
import { OutboundError, outboundRequest } from '@metertwin/egress';
import { CONFIG, PRISMA } from '@metertwin/service-kit';
import type { NotifyEnv } from '../config.js';
import { OutboundPolicies } from '../outbound-policies.js';
import { channelWords, type AlarmMessage } from './alarm-message.js';
import { PermanentDeliveryError, type ChannelSender, type OutgoingNotification, type SendOutcome } from './channel-sender.js';
import { SlackChannelName } from '@metertwin/alarms';
import { findSlackChannel } from './receiver.repository.js';

/** Slack incoming webhooks (SlackChannel.webhookUrl), behind the same destination guard as webhooks. */
@Injectable()
export class SlackSender implements ChannelSender {
  readonly channel = SlackChannelName;
  readonly enabled = true;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: NotifyEnv,
    private readonly policies: OutboundPolicies,
  ) {}

  async send({ target, message }: OutgoingNotification): Promise<SendOutcome> {
    const channel = await findSlackChannel(this.prisma, target);
    if (!channel || !channel.enabled) return { gone: 'Slack channel removed or disabled' };
    let answer;
    try {
      answer = await outboundRequest(channel.webhookUrl, {
        policy: await this.policies.forOrg(channel.orgId),
        method: 'POST',
        headers: { 'content-type': 'application/json', [WebhookHeader.EventId]: message.eventId },
        body: JSON.stringify(slackBody(message)),
        timeoutMs: this.config.NOTIFY_TIMEOUT_MS,
        maxBytes: 64 * 1024,
      });
    } catch (error) {
      if (error instanceof OutboundError && (error.failure === 'refused' || error.failure === 'invalid-url')) {
        throw new PermanentDeliveryError(error.message);
      }
      throw error;
    }
    const { status } = answer;
    if (status >= 200 && status < 300) return { sent: true };
    // Slack answers a short error code (invalid_payload, channel_is_archived, …).
    const why = `Slack answered ${status}: ${answer.body.toString('utf8', 0, 1024)}`;
    if (status === 429 || status >= 500) throw new Error(why);
    // 400 invalid_payload, 403 action_prohibited, 404 no_service, 410 channel_is_archived: retrying cannot help.
    throw new PermanentDeliveryError(why);
  }
}

/** Slack's message: a fallback text, the alarm as a section, and the event id in a context line. */
export function slackBody(message: AlarmMessage) {
  const words = channelWords(message.locale);
  const link = message.url ? `\n<${message.url}|${escape(words.open)}>` : '';
  return {
    text: `${message.title}: ${message.body}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(message.title)}*\n${escape(message.body)}${link}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${escape(words.event)} ${message.eventId}` }] },
    ],
  };
}

/** Slack's mrkdwn needs &, < and > escaped. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
