import { OrganizationLanguageSchema, setOrganizationLanguage } from '@metertwin/org-admin';
import { apiRoute, noStore } from '../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/**
 * PUT /api/organization/language {locale: "en" | "ko" | null} (admin): the language of the
 * organization's users who chose none, of their e-mails and notifications, and the invitation
 * form's default; null lets each browser decide. Audited.
 */
export const PUT = apiRoute<Record<string, never>, typeof OrganizationLanguageSchema>(
  { role: 'admin', body: OrganizationLanguageSchema, maxBytes: 1024 },
  async ({ db, actor, body }) => {
    await setOrganizationLanguage(db, actor, body.locale);
    return Response.json({ locale: body.locale }, { headers: noStore });
  },
);
