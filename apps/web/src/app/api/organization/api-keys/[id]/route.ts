import { apiRoute, noStore } from '../../../../../lib/api-route';
import { revokeOrgApiKey } from '../../../../../lib/organization';

export const dynamic = 'force-dynamic';

/** DELETE /api/organization/api-keys/:id (admin): revokes the key at once. */
export const DELETE = apiRoute<{ id: string }>({ role: 'admin' }, async ({ db, user, params: { id } }) => {
  if (!(await revokeOrgApiKey(db, user, id))) {
    return Response.json({ error: 'no such active key', code: 'api-key-not-found' }, { status: 404, headers: noStore });
  }
  return new Response(null, { status: 204 });
});
