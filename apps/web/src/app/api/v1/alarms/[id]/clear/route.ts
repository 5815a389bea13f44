import { operations } from '@metertwin/public-api';
import { changeAlarmAndQueueEvent } from '../../../../../../lib/alarms';
import { v1Route } from '../../../../../../lib/api-v1/route';
import { enqueueAlarmEvent } from '../../../../../../lib/queues';
import { prisma } from '../../../../../../lib/server';

export const dynamic = 'force-dynamic';

/** The key acts for one of its organization's users (acknowledgedBy/clearedBy); the audit row names the key. */
export const POST = v1Route(operations.clearAlarm, ({ actor, params, body }) =>
  changeAlarmAndQueueEvent(
    { prisma: prisma(), enqueue: enqueueAlarmEvent },
    { orgId: actor.orgId, userId: body.actorId, via: actor },
    params.id,
    'cleared',
  ),
);
