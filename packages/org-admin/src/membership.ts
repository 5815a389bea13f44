import { recordAudit, type Actor } from '@metertwin/alarms';
import type { PrismaClient, Role } from '@metertwin/db';
import { OrgAdminError } from './errors.js';
import { findPendingInvitations } from './invitation.repository.js';
import {
  countActiveAdmins,
  findOrgUser,
  findOrgUsers,
  lockOrganization,
  setUserDeactivatedAt,
  updateUserRole,
  type OrgUserView,
} from './user.repository.js';

export { type OrgUserView };

/** The organization's users and its invitations not yet accepted. */
export async function listMembers(prisma: PrismaClient, orgId: string) {
  const [users, invitations] = await Promise.all([
    findOrgUsers(prisma, orgId),
    findPendingInvitations(prisma, orgId),
  ]);
  return { users, invitations };
}

const noSuchUser = () => new OrgAdminError('user-not-found', 'no such user in this organization');
const lastAdmin = () =>
  new OrgAdminError(
    'last-admin',
    'the organization needs at least one active admin: make someone else admin first',
  );

/**
 * Whether the organization still has an active admin once `user` stops being one; checked under
 * the organization's row lock so two admins cannot demote each other at the same time.
 */
async function keepsAnAdmin(
  tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0],
  user: OrgUserView,
  orgId: string,
): Promise<boolean> {
  if (user.role !== 'admin' || user.deactivatedAt) return true;
  return (await countActiveAdmins(tx, orgId)) > 1;
}

/** Gives a user of the admin's organization another role. */
export async function changeUserRole(
  prisma: PrismaClient,
  actor: Actor,
  userId: string,
  role: Role,
): Promise<OrgUserView> {
  return prisma.$transaction(async (tx) => {
    await lockOrganization(tx, actor.orgId);
    const user = await findOrgUser(tx, actor.orgId, userId);
    if (!user) throw noSuchUser();
    if (user.role === role) return user;
    if (role !== 'admin' && !(await keepsAnAdmin(tx, user, actor.orgId))) throw lastAdmin();
    await updateUserRole(tx, userId, role);
    await recordAudit(
      tx,
      actor,
      'user.role-changed',
      { type: 'user', id: userId },
      { before: user.role, after: role },
    );
    return { ...user, role };
  });
}

/**
 * Deactivates (the user cannot sign in, and their sessions end at once) or reactivates a user of the
 * admin's organization.
 */
export async function setUserActive(
  prisma: PrismaClient,
  actor: Actor,
  userId: string,
  active: boolean,
  now = new Date(),
): Promise<OrgUserView> {
  return prisma.$transaction(async (tx) => {
    await lockOrganization(tx, actor.orgId);
    const user = await findOrgUser(tx, actor.orgId, userId);
    if (!user) throw noSuchUser();
    if (active === !user.deactivatedAt) return user;
    if (!active && !(await keepsAnAdmin(tx, user, actor.orgId))) throw lastAdmin();
    const deactivatedAt = active ? null : now;
    await setUserDeactivatedAt(tx, userId, deactivatedAt);
    await recordAudit(
      tx,
      actor,
      active ? 'user.reactivated' : 'user.deactivated',
      { type: 'user', id: userId },
      { email: user.email },
    );
    return { ...user, deactivatedAt };
  });
}
