import { liveEventStream } from '../../../lib/live';
import { liveHub } from '../../../lib/live-server';

export const dynamic = 'force-dynamic';

/** Server-sent events from the live channel; `?meterId=` keeps one meter's events. */
export async function GET(request: Request): Promise<Response> {
  const meterId = new URL(request.url).searchParams.get('meterId');
  try {
    return await liveEventStream(liveHub(), { meterId, signal: request.signal });
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
