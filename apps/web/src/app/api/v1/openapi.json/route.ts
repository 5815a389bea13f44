import { openApiDocument } from '@metertwin/public-api';

export const dynamic = 'force-static';

/** GET /api/v1/openapi.json: the API's OpenAPI 3.1 document, public (it holds no data), built once. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
