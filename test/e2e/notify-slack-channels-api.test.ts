import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgAndMeter, startNotifyHarness, type NotifyHarness } from './notify-harness.js';

/**
 * notify's /v1/slack-channels (API keys) over packages/slack-channels, the code the portal's settings
 * use too: the URL checked by the outbound policy and never answered back, 404 across organizations,
 * every change audited as the API key.
 */
describe('Slack channel management API', () => {
  let harness: NotifyHarness;

  beforeAll(async () => {
    harness = await startNotifyHarness({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('adds, lists, changes and deletes channels; the webhook URL is a credential and never listed', async () => {
    const { orgId } = await createOrgAndMeter(harness.prisma, 'slack-api');
    const { orgId: otherOrg } = await createOrgAndMeter(harness.prisma, 'slack-api-other');
    const webhookUrl = 'https://127.0.0.1/services/T000/B000/secret-part';
    expect(
      (
        await harness.api(orgId, 'POST', '/v1/slack-channels', {
          name: 'ops',
          webhookUrl: 'http://127.0.0.1/x',
        })
      ).status,
    ).toBe(400);
    const refused = await harness.api(orgId, 'POST', '/v1/slack-channels', {
      name: 'ops',
      webhookUrl: 'https://169.254.169.254/x',
    });
    expect(refused.status).toBe(400);

    const created = await harness.api(orgId, 'POST', '/v1/slack-channels', {
      name: '#ops',
      webhookUrl,
      minSeverity: 'critical',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '#ops',
      minSeverity: 'critical',
      enabled: true,
      webhookUrlHint: 'https://127.0.0.1/…',
    });
    expect(JSON.stringify(created.body)).not.toContain('secret-part');
    expect((await harness.api(orgId, 'GET', '/v1/slack-channels')).body).toHaveLength(1);
    expect((await harness.api(otherOrg, 'GET', '/v1/slack-channels')).body).toEqual([]);

    const id = created.body.id as string;
    expect(
      (await harness.api(otherOrg, 'PATCH', `/v1/slack-channels/${id}`, { enabled: false })).status,
    ).toBe(404);
    const patched = await harness.api(orgId, 'PATCH', `/v1/slack-channels/${id}`, {
      enabled: false,
      minSeverity: 'warning',
    });
    expect(patched.body).toMatchObject({ enabled: false, minSeverity: 'warning' });
    expect((await harness.prisma.slackChannel.findUniqueOrThrow({ where: { id } })).webhookUrl).toBe(
      webhookUrl,
    );

    expect((await harness.api(orgId, 'DELETE', `/v1/slack-channels/${id}`)).status).toBe(204);
    expect((await harness.api(orgId, 'DELETE', `/v1/slack-channels/${id}`)).status).toBe(404);
    const audit = await harness.prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([
      ['slack-channel.created', 'api-key'],
      ['slack-channel.updated', 'api-key'],
      ['slack-channel.deleted', 'api-key'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('secret-part');
  });
});
