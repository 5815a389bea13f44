import { createMailer, MailDeliveryError, type OrgAdminMail } from '@metertwin/org-admin';
import { webConfig } from './config';
import { domainErrorResponse } from './domain-error-response';
import { refusalResponse } from './refusal';
import { prisma } from './server';

const g = globalThis as typeof globalThis & { __mtMail?: OrgAdminMail };

/** The portal's database, mailer (SMTP_URL, else the log) and PORTAL_URL for the links in e-mails. */
export function orgAdminMail(): OrgAdminMail {
  g.__mtMail ??= {
    prisma: prisma(),
    mailer: createMailer(webConfig()),
    portalUrl: webConfig().PORTAL_URL,
  };
  return g.__mtMail;
}

const noStore = { 'cache-control': 'no-store' };

/**
 * A refusal of an org-admin operation as JSON with its `code` (an OrgAdminError is a DomainError with
 * a code); a mail server that did not take the message is 502 `mail-failed`.
 */
export function orgAdminErrorResponse(error: unknown): Response {
  if (error instanceof MailDeliveryError) return refusalResponse(502, { error: error.message, code: 'mail-failed' });
  return domainErrorResponse(error, noStore);
}
