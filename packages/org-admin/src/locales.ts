import { z } from 'zod';

/** The languages of the portal and of its e-mails. */
export const MAIL_LOCALES = ['en', 'ko'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];
export const MailLocaleSchema = z.enum(MAIL_LOCALES);

/** A stored locale (User.locale may be null or stale) as one the e-mails are written in; English otherwise. */
export function mailLocaleOf(locale: string | null | undefined): MailLocale {
  return (MAIL_LOCALES as readonly string[]).includes(locale ?? '') ? (locale as MailLocale) : 'en';
}
