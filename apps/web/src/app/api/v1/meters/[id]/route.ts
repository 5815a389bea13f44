import { findOrgMeter } from '@metertwin/meters';
import { operations } from '@metertwin/public-api';
import { NotFound } from '../../../../../lib/api-v1/errors';
import { meterOut } from '../../../../../lib/api-v1/representations';
import { v1Route } from '../../../../../lib/api-v1/route';
import { prisma } from '../../../../../lib/server';

export const dynamic = 'force-dynamic';

export const GET = v1Route(operations.getMeter, async ({ grant, params }) => {
  const meter = await findOrgMeter(prisma(), grant.orgId, params.id);
  if (!meter) throw new NotFound('meter');
  return meterOut(meter);
});
