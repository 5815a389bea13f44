import type { PrismaClient } from '@metertwin/db';
import type { Mailer } from './mail/mailer.js';

/** What the operations that send e-mail need: the database, a mailer and the portal's address for links. */
export interface OrgAdminMail {
  prisma: PrismaClient;
  mailer: Mailer;
  /** PORTAL_URL, e.g. https://metertwin.example.com (a trailing slash is fine). */
  portalUrl: string;
}

export function portalLink(portalUrl: string, path: string): string {
  return new URL(path, portalUrl.endsWith('/') ? portalUrl : `${portalUrl}/`).toString();
}
