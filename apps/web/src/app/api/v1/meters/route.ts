import { findOrgMetersPage } from '@metertwin/meters';
import { operations } from '@metertwin/public-api';
import { meterOut, pageOut } from '../../../../lib/api-v1/representations';
import { v1Route } from '../../../../lib/api-v1/route';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

export const GET = v1Route(operations.listMeters, async ({ grant, query }) =>
  pageOut(
    await findOrgMetersPage(prisma(), grant.orgId, { limit: query.limit, after: query.cursor ?? null }),
    meterOut,
  ),
);
