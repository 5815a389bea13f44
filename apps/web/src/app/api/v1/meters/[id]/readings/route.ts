import { isOrgMeter } from '@metertwin/alarms';
import { findMeterReadingsPage } from '@metertwin/meters';
import { operations } from '@metertwin/public-api';
import { NotFound } from '../../../../../../lib/api-v1/errors';
import { pageOut, readingOut } from '../../../../../../lib/api-v1/representations';
import { v1Route } from '../../../../../../lib/api-v1/route';
import { prisma } from '../../../../../../lib/server';

export const dynamic = 'force-dynamic';

export const GET = v1Route(operations.listMeterReadings, async ({ grant, params, query }) => {
  if (!(await isOrgMeter(prisma(), grant.orgId, params.id))) throw new NotFound('meter');
  const page = await findMeterReadingsPage(prisma(), params.id, {
    limit: query.limit,
    after: query.cursor ?? null,
    from: query.from,
    to: query.to,
  });
  return pageOut(page, readingOut);
});
