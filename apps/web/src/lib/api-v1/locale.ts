import type { PrismaClient } from '@metertwin/db';
import { organizationLanguage } from '@metertwin/org-admin';
import type { AlarmTextLocale } from '@metertwin/rules';
import { DEFAULT_LOCALE, negotiateLocale } from '../../i18n/locales';

/**
 * The language an /api/v1 answer words its messages in: the client's Accept-Language (en or ko),
 * else the organization's default language, else English — the order the portal uses, minus the
 * profile and cookie an API key does not have.
 */
export async function apiLocale(prisma: PrismaClient, orgId: string, acceptLanguage: string | null): Promise<AlarmTextLocale> {
  return negotiateLocale(acceptLanguage) ?? (await organizationLanguage(prisma, orgId)) ?? DEFAULT_LOCALE;
}
