import { serveReadingsCsv } from '../../../../../lib/csv';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return serveReadingsCsv(prisma(), id, request);
}
