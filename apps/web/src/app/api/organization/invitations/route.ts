import { InviteSchema, inviteUser } from '@metertwin/org-admin';
import { apiRoute, noStore } from '../../../../lib/api-route';
import { orgAdminErrorResponse, orgAdminMail } from '../../../../lib/org-admin';

export const dynamic = 'force-dynamic';

/** POST /api/organization/invitations {email, role, locale} (admin): e-mails an invitation link. */
export const POST = apiRoute<Record<string, never>, typeof InviteSchema>(
  { role: 'admin', body: InviteSchema, maxBytes: 4 * 1024 },
  async ({ user, body }) => {
    try {
      // the invitation names who sent it
      const invited = await inviteUser(orgAdminMail(), { orgId: user.orgId, type: 'user', id: user.id, name: user.name }, body);
      return Response.json(invited, { status: 201, headers: noStore });
    } catch (error) {
      return orgAdminErrorResponse(error);
    }
  },
);
