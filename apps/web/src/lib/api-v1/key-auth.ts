import { findApiKey, type ApiKeyGrant, type ApiScope, type PrismaClient } from '@metertwin/db';
import { apiError } from './errors';

/**
 * /api/v1 answers to organization API keys only (`Authorization: Bearer mtk_…`), never to the
 * portal's session cookie, so no CSRF check applies. The key is looked up on every request, with no
 * cache: a key revoked in the portal is refused on its very next request.
 */
export async function authenticateApiKey(
  prisma: PrismaClient,
  request: Request,
): Promise<ApiKeyGrant | Response> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const challenge = { 'www-authenticate': 'Bearer realm="metertwin"' };
  if (!token)
    return apiError(401, 'unauthorized', 'an API key is required: Authorization: Bearer mtk_…', {
      headers: challenge,
    });
  const grant = await findApiKey(prisma, token);
  if (!grant) return apiError(401, 'unauthorized', 'unknown or revoked API key', { headers: challenge });
  return grant;
}

export function lacksScope(grant: ApiKeyGrant, scope: ApiScope, headers?: HeadersInit): Response | null {
  return grant.scopes.includes(scope)
    ? null
    : apiError(403, 'forbidden', `this API key lacks the "${scope}" scope`, { headers });
}
