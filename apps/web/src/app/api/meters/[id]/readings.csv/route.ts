import { apiUser } from '../../../../../lib/auth';
import { serveReadingsCsv } from '../../../../../lib/csv';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const { id } = await context.params;
  return serveReadingsCsv(prisma(), user.orgId, id, request);
}
