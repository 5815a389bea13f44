import type { Role } from './auth';

const LABELS: Record<Role, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' };

export function roleLabel(role: Role): string {
  return LABELS[role];
}
