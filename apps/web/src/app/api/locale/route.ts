import { z } from 'zod';
import { LOCALES } from '../../../i18n/locales';
import { isHttps, crossSiteRefusal, readCookie, SESSION_COOKIE, userForToken } from '../../../lib/auth';
import { readJsonBody } from '../../../lib/request-body';
import { prisma } from '../../../lib/server';
import { localeCookieHeader } from '../../../lib/user-locale';
import { updateUserLocale } from '../../../lib/user.repository';

export const dynamic = 'force-dynamic';

const LocaleBody = z.object({ locale: z.enum(LOCALES) });

/**
 * The header's language switch: `{"locale":"ko"}`. Stored in the signed-in user's profile (so it
 * follows them to other browsers) and in a cookie (so the sign-in page keeps it too).
 */
export async function PUT(request: Request): Promise<Response> {
  const crossSite = crossSiteRefusal(request);
  if (crossSite) return crossSite;
  const body = await readJsonBody(request, LocaleBody);
  if (body instanceof Response) return body;
  const user = await userForToken(prisma(), readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  if (user) await updateUserLocale(prisma(), user.id, body.locale);
  return Response.json(
    { locale: body.locale, savedToProfile: Boolean(user) },
    {
      headers: {
        'cache-control': 'no-store',
        'set-cookie': localeCookieHeader(body.locale, { secure: isHttps(request) }),
      },
    },
  );
}
