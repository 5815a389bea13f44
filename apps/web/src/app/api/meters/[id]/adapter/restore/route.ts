import { AdapterRestoreError, restorePreviousAdapter } from '@metertwin/db';
import { apiRoute, noStore } from '../../../../../../lib/api-route';
import { refusalOf, refusalResponse } from '../../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

/** Puts the meter back on its previous adapter (or the base model when it had none); admin only, audited. */
export const POST = apiRoute<{ id: string }>({ role: 'admin' }, async ({ db, user, params: { id } }) => {
  try {
    const { retired, restored } = await restorePreviousAdapter(db, { orgId: user.orgId, meterId: id, kind: 'digits', actorId: user.id });
    return Response.json(
      {
        retired: { id: retired.id, version: retired.version },
        restored: restored ? { id: restored.id, version: restored.version } : null,
      },
      { headers: noStore },
    );
  } catch (error) {
    if (error instanceof AdapterRestoreError) return refusalResponse(error.status, refusalOf(error));
    throw error;
  }
});
