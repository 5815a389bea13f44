import type { AlarmChange } from '@metertwin/alarms';
import { changeAlarmAndQueueEvent } from '../../../../../lib/alarms';
import { apiUser } from '../../../../../lib/auth';
import { domainErrorResponse } from '../../../../../lib/domain-error-response';
import { enqueueAlarmEvent } from '../../../../../lib/queues';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

const EVENTS: Record<string, AlarmChange> = { acknowledge: 'acknowledged', clear: 'cleared' };
const noStore = { 'cache-control': 'no-store' };

/** POST /api/alarms/:id/acknowledge and /api/alarms/:id/clear (operator+). */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string; event: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id, event } = await context.params;
  const change = EVENTS[event];
  if (!change) return Response.json({ error: 'not found' }, { status: 404, headers: noStore });
  try {
    const result = await changeAlarmAndQueueEvent(
      { prisma: prisma(), enqueue: enqueueAlarmEvent },
      { orgId: user.orgId, userId: user.id },
      id,
      change,
    );
    return Response.json(result, { headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
