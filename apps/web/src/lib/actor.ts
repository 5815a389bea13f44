import type { Actor } from '@metertwin/alarms';
import type { SessionUser } from './auth';

/** The signed-in person as the audit log records them. */
export function actorOf(user: SessionUser): Actor {
  return { orgId: user.orgId, type: 'user', id: user.id };
}
