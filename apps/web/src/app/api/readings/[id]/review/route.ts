import { requestAdapterIfDue } from '../../../../../lib/adapters';
import { apiUser } from '../../../../../lib/auth';
import { webConfig } from '../../../../../lib/config';
import { publishLive } from '../../../../../lib/live-server';
import { readJsonBody } from '../../../../../lib/request-body';
import { ReviewActionSchema, ReviewError, reviewReading } from '../../../../../lib/review';
import { enqueueMeterAdapt, enqueueReviewedReading } from '../../../../../lib/queues';
import { prisma, storage } from '../../../../../lib/server';
import { refusalOf, refusalResponse } from '../../../../../lib/refusal';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/** Confirm ({"action":"confirm"}) or correct ({"action":"correct","value":"01234.567"}) a reading; operator+. */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const user = await apiUser(prisma(), request, 'operator');
  if (user instanceof Response) return user;
  const { id } = await context.params;
  const action = await readJsonBody(request, ReviewActionSchema);
  if (action instanceof Response) return action;
  try {
    const result = await reviewReading(
      {
        prisma: prisma(),
        storage: storage(),
        publish: publishLive,
        requestAdapter: (meterId) =>
          requestAdapterIfDue(
            { prisma: prisma(), enqueue: enqueueMeterAdapt, minNewLabels: webConfig().ADAPT_MIN_NEW_LABELS },
            meterId,
          ),
        notifyReviewed: enqueueReviewedReading,
      },
      user,
      id,
      action,
    );
    return Response.json(result, { headers: noStore });
  } catch (error) {
    if (error instanceof ReviewError) return refusalResponse(error.status, refusalOf(error));
    throw error;
  }
}
