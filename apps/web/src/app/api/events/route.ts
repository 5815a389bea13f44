import { apiUser } from '../../../lib/auth';
import { liveEventStream } from '../../../lib/live';
import { liveHub } from '../../../lib/live-server';
import { orgMeterGate } from '../../../lib/org-scope';
import { prisma } from '../../../lib/server';

export const dynamic = 'force-dynamic';

/** Server-sent events of the user's organization's meters; `?meterId=` keeps one meter's events. */
export async function GET(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request);
  if (user instanceof Response) return user;
  const meterId = new URL(request.url).searchParams.get('meterId');
  const inOrg = await orgMeterGate(prisma(), user.orgId);
  if (meterId && !(await inOrg(meterId))) {
    return Response.json(
      { error: 'meter not found' },
      { status: 404, headers: { 'cache-control': 'no-store' } },
    );
  }
  try {
    return await liveEventStream(liveHub(), {
      meterId,
      signal: request.signal,
      allow: (e) => inOrg(e.meterId),
    });
  } catch {
    // Redis is down: tell the browser to come back later (EventSource retries on its own).
    return new Response('live events unavailable\n', {
      status: 503,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': '5',
        'cache-control': 'no-store',
      },
    });
  }
}
