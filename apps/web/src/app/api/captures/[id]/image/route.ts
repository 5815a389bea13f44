import { serveCaptureImage } from '../../../../../lib/capture-image';
import { prisma, storage } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return serveCaptureImage({ prisma: prisma(), storage: storage() }, id, request);
}
