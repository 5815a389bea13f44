import { AdapterRestoreError, restorePreviousAdapter } from '@metertwin/db';
import { apiUser } from '../../../../../../lib/auth';
import { refusalOf, refusalResponse } from '../../../../../../lib/refusal';
import { prisma } from '../../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** Puts the meter back on its previous adapter (or the base model when it had none); admin only, audited. */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  try {
    const { retired, restored } = await restorePreviousAdapter(prisma(), {
      orgId: user.orgId,
      meterId: id,
      kind: 'digits',
      actorId: user.id,
    });
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
}
