import { apiError } from '../../../../lib/api-v1/errors';

export const dynamic = 'force-dynamic';

/** A path /api/v1 does not have: 404 in the API's error shape, not the portal's HTML page. */
function notFound(request: Request): Response {
  return apiError(
    404,
    'not_found',
    `no such operation: ${request.method} ${new URL(request.url).pathname} (see /api/v1/openapi.json)`,
  );
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
