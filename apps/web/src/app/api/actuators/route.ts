import { createActuator, CreateActuatorSchema, publicActuator } from '@metertwin/alarms';
import { actorOf } from '../../../lib/actor';
import { apiUser } from '../../../lib/auth';
import { domainErrorResponse } from '../../../lib/domain-error-response';
import { readJsonBody } from '../../../lib/request-body';
import { prisma, secrets } from '../../../lib/server';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

/**
 * POST /api/actuators (admin): a new actuator, http {url, headers} or mqtt {url, commandTopic,
 * stateTopic, username, password}, its credentials sealed; 201 with them redacted. The same operation
 * as notify's POST /v1/actuators.
 */
export async function POST(request: Request): Promise<Response> {
  const user = await apiUser(prisma(), request, 'admin');
  if (user instanceof Response) return user;
  const input = await readJsonBody(request, CreateActuatorSchema);
  if (input instanceof Response) return input;
  try {
    const actuator = await createActuator(prisma(), secrets(), actorOf(user), input);
    return Response.json(publicActuator(actuator), { status: 201, headers: noStore });
  } catch (error) {
    return domainErrorResponse(error, noStore);
  }
}
