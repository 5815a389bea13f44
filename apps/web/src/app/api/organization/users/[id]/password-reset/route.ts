import { sendPasswordResetLink } from '@metertwin/org-admin';
import { apiRoute, noStore } from '../../../../../../lib/api-route';
import { orgAdminErrorResponse, orgAdminMail } from '../../../../../../lib/org-admin';

export const dynamic = 'force-dynamic';

/** POST /api/organization/users/:id/password-reset (admin): e-mails the user a reset link. */
export const POST = apiRoute<{ id: string }>({ role: 'admin' }, async ({ actor, params: { id } }) => {
  try {
    await sendPasswordResetLink(orgAdminMail(), actor, id);
    return Response.json({ sent: true }, { status: 202, headers: noStore });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
});
