import { findOrgAlarmsPage } from '@metertwin/alarms';
import type { AlarmStatus } from '@metertwin/db';
import { operations } from '@metertwin/public-api';
import { apiLocale } from '../../../../lib/api-v1/locale';
import { alarmOut, pageOut } from '../../../../lib/api-v1/representations';
import { v1Route } from '../../../../lib/api-v1/route';
import { prisma } from '../../../../lib/server';

export const dynamic = 'force-dynamic';

const OPEN: AlarmStatus[] = ['active', 'acknowledged'];

export const GET = v1Route(operations.listAlarms, async ({ grant, query, acceptLanguage }) => {
  const locale = await apiLocale(prisma(), grant.orgId, acceptLanguage);
  const page = await findOrgAlarmsPage(prisma(), grant.orgId, {
    statuses: query.status === 'open' ? OPEN : query.status && [query.status],
    meterId: query.meterId,
    limit: query.limit,
    after: query.cursor ?? null,
  });
  return pageOut(page, (alarm) => alarmOut(alarm, locale));
});
