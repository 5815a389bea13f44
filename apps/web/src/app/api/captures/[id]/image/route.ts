import { apiUser } from '../../../../../lib/auth';
import { serveCaptureImage } from '../../../../../lib/capture-image';
import { prisma, storage } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const { id } = await context.params;
  return serveCaptureImage({ prisma: prisma(), storage: storage() }, user.orgId, id, request);
}
