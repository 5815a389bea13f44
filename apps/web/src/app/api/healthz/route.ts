import { pingDatabase } from '@metertwin/db';
import { prisma } from '../../../lib/server';
import { redisAnswers, withTimeout } from '../../../lib/live-server';

export const dynamic = 'force-dynamic';

/** 200 when the database answers (pages need it), 503 otherwise; Redis only degrades live updates. */
export async function GET(): Promise<Response> {
  const [database, redis] = await Promise.all([
    withTimeout(pingDatabase(prisma()), 2000).then(
      () => true,
      () => false,
    ),
    redisAnswers(),
  ]);
  const status = database ? (redis ? 'ok' : 'degraded') : 'down';
  return Response.json(
    { status, checks: { database: database ? 'ok' : 'down', redis: redis ? 'ok' : 'down' } },
    { status: database ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
