import { apiRoute, noStore } from '../../../../lib/api-route';
import { createOrgApiKey, listApiKeys, NewApiKeySchema } from '../../../../lib/organization';

export const dynamic = 'force-dynamic';

/** GET /api/organization/api-keys (admin): the keys, never their tokens. */
export const GET = apiRoute<Record<string, never>>({ role: 'admin' }, async ({ db, user }) =>
  Response.json({ keys: await listApiKeys(db, user.orgId) }, { headers: noStore }),
);

/** POST /api/organization/api-keys {name, scopes} (admin): answers the token, this once. */
export const POST = apiRoute<Record<string, never>, typeof NewApiKeySchema>(
  { role: 'admin', body: NewApiKeySchema, maxBytes: 4 * 1024 },
  async ({ db, user, body }) => Response.json(await createOrgApiKey(db, user, body), { status: 201, headers: noStore }),
);
