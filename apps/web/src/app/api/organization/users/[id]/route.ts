import { changeUserRole, ChangeUserSchema, setUserActive } from '@metertwin/org-admin';
import { apiRoute, noStore } from '../../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/** PUT /api/organization/users/:id {role} or {active} (admin): another role, or (de)activation. */
export const PUT = apiRoute<{ id: string }, typeof ChangeUserSchema>(
  { role: 'admin', body: ChangeUserSchema, maxBytes: 1024 },
  async ({ db, actor, params: { id }, body }) => {
    const changed = 'role' in body ? await changeUserRole(db, actor, id, body.role) : await setUserActive(db, actor, id, body.active);
    return Response.json({ user: changed }, { headers: noStore });
  },
);
