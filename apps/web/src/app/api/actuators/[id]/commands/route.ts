import {
  enqueueActuation,
  ManualCommandSchema,
  requestManualCommandFromPortal,
} from '../../../../../lib/actuators';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { readJsonBody } from '../../../../../lib/request-body';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** POST /api/actuators/:id/commands {command: close|open} (operator+): 202 with the pending command. */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const body = await readJsonBody(request, ManualCommandSchema);
  if (body instanceof Response) return body;
  try {
    const command = await requestManualCommandFromPortal(
      { prisma: prisma(), enqueue: enqueueActuation },
      user,
      id,
      body.command,
    );
    return Response.json(command, { status: 202, headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
