import { OrganizationRetentionSchema, setOrganizationRetention } from '@metertwin/org-admin';
import { apiRoute, noStore } from '../../../../lib/api-route';

export const dynamic = 'force-dynamic';

/**
 * PUT /api/organization/retention {photoRetentionDays, readingRetentionDays} (admin): whole days
 * 1–3650 or null (keep forever), photos kept no longer than readings; 422 otherwise, nothing saved.
 * Ingest's daily retention run applies them. Audited.
 */
export const PUT = apiRoute<Record<string, never>, typeof OrganizationRetentionSchema>(
  { role: 'admin', body: OrganizationRetentionSchema, maxBytes: 1024, refusedStatus: 422 },
  async ({ db, actor, body }) => Response.json(await setOrganizationRetention(db, actor, body), { headers: noStore }),
);
