import { recordAudit, type Actor } from '@metertwin/alarms';
import type { PrismaClient } from '@metertwin/db';
import { mailLocaleOf, type MailLocale } from './locales.js';
import { findOrgDefaultLocale, lockOrgDefaultLocale, updateOrgDefaultLocale } from './organization.repository.js';

/** The organization's default language (an admin's setting), or null when it has none. */
export async function organizationLanguage(prisma: PrismaClient, orgId: string): Promise<MailLocale | null> {
  const stored = await findOrgDefaultLocale(prisma, orgId);
  return stored === null ? null : mailLocaleOf(stored);
}

/**
 * Sets (or with null removes) the language of the organization's users who chose none, which is also
 * the language their e-mails are written in and the invitation form's default; audited
 * `organization.default-locale.set` with before and after. The same value again writes nothing.
 */
export async function setOrganizationLanguage(prisma: PrismaClient, admin: Actor, locale: MailLocale | null): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const before = await lockOrgDefaultLocale(tx, admin.orgId);
    if (before === locale) return;
    await updateOrgDefaultLocale(tx, admin.orgId, locale);
    await recordAudit(tx, admin, 'organization.default-locale.set', { type: 'organization', id: admin.orgId }, { before, after: locale });
  });
}

/** The language of a user's e-mails: their own, else the organization's, else English. */
export function userMailLocale(user: { locale: string | null }, organizationLocale: string | null): MailLocale {
  return mailLocaleOf(user.locale ?? organizationLocale);
}
