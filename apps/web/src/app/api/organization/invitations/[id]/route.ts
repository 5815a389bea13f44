import { revokeInvitation } from '@metertwin/org-admin';
import { apiRoute } from '../../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/** DELETE /api/organization/invitations/:id (admin): takes back an invitation not yet accepted. */
export const DELETE = apiRoute<{ id: string }>({ role: 'admin' }, async ({ db, actor, params: { id } }) => {
  await revokeInvitation(db, actor, id);
  return new Response(null, { status: 204 });
});
