import { changeUserRole, ChangeUserSchema, setUserActive } from '@metertwin/org-admin';
import { actorOf } from '../../../../../lib/actor';
import { apiUser } from '../../../../../lib/auth';
import { orgAdminErrorResponse } from '../../../../../lib/org-admin';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** PUT /api/organization/users/:id {role} or {active} (admin): another role, or (de)activation. */
export async function PUT(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const body = await readJsonBody(request, ChangeUserSchema, 1024);
  if (body instanceof Response) return body;
  const { id } = await context.params;
  try {
    const changed =
      'role' in body
        ? await changeUserRole(prisma(), actorOf(user), id, body.role)
        : await setUserActive(prisma(), actorOf(user), id, body.active);
    return Response.json({ user: changed }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return orgAdminErrorResponse(error);
  }
}
