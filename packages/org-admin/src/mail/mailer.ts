import nodemailer from 'nodemailer';
import { MailDeliveryError } from '../errors.js';
import type { MailEnv } from './mail-config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message; throws MailDeliveryError when the server refuses it or cannot be reached. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * SMTP through nodemailer to SMTP_URL. Without SMTP_URL (development, demos) each message is written
 * to `log` instead, links included, so a developer can follow them without a mail server.
 */
export function createMailer(
  env: Pick<MailEnv, 'SMTP_URL' | 'MAIL_FROM'>,
  log: (line: string) => void = (line) => console.log(line),
): Mailer {
  if (!env.SMTP_URL) {
    return {
      async send(mail) {
        log(
          `[mail] SMTP_URL is not set; not sent:\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}`,
        );
      },
    };
  }
  const transport = nodemailer.createTransport(env.SMTP_URL);
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: env.MAIL_FROM, ...mail });
      } catch (error) {
        throw new MailDeliveryError(`the mail server did not take the message: ${(error as Error).message}`);
      }
    },
  };
}
