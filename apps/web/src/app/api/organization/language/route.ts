import { OrganizationLanguageSchema, setOrganizationLanguage } from '@metertwin/org-admin';
import { actorOf } from '../../../../lib/actor';
import { apiUser } from '../../../../lib/auth';
import { readJsonBody } from '../../../../lib/request-body';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

/**
 * PUT /api/organization/language {locale: "en" | "ko" | null} (admin): the language of the
 * organization's users who chose none, of their e-mails and notifications, and the invitation
 * form's default; null lets each browser decide. Audited.
 */
export async function PUT(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, OrganizationLanguageSchema, 1024);
  if (body instanceof Response) return body;
  await setOrganizationLanguage(prisma(), actorOf(user), body.locale);
  return Response.json({ locale: body.locale }, { headers: { 'cache-control': 'no-store' } });
}
