import { z } from 'zod';

/** The portal's (or any sender's) mail settings; SMTP_URL unset: mails are written to the log instead. */
export const MailEnvShape = {
  /** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://host:465. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('MeterTwin <metertwin@localhost>'),
  /** Where people open the portal: the base of the links in e-mails (never taken from a request's Host). */
  PORTAL_URL: z
    .string()
    .url('must be the portal address people open, like https://metertwin.example.com')
    .default('http://localhost:3000'),
};

export type MailEnv = {
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
  PORTAL_URL: string;
};
