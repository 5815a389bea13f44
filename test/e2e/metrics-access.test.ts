import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotify } from '@metertwin/notify';
import { serviceUrl } from '@metertwin/service-kit';
import { startPlatform, type Platform } from './platform.js';

// An address of this machine that is not loopback: a request to it arrives from a non-loopback peer.
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('/metrics and the listening address', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ HOST: '0.0.0.0' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('serves metrics to this machine only, unless a metrics token is configured', async () => {
    expect(lanAddress, 'this test needs a non-loopback IPv4 interface').toBeDefined();
    const port = new URL(platform.ingestUrl).port;
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    const remote = await fetch(`http://${lanAddress}:${port}/metrics`);
    expect(remote.status).toBe(403);
    expect(await remote.text()).not.toContain('metertwin_');
    // Health stays answerable from anywhere (load balancers), and says nothing of the data.
    expect((await fetch(`http://${lanAddress}:${port}/healthz`)).status).toBe(200);

    await platform.apps.notify.close();
    platform.apps.notify = await startNotify({ ...platform.env, METRICS_TOKEN: 'prometheus-scrape-token-123' }, { handleSignals: false });
    const notifyPort = new URL(await serviceUrl(platform.apps.notify)).port;
    const scrape = (token?: string) =>
      fetch(`http://${lanAddress}:${notifyPort}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token-wrong-token')).status).toBe(401);
    const ok = await scrape('prometheus-scrape-token-123');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('metertwin_');
  });

  it('listens on loopback by default', async () => {
    const { BaseEnvSchema } = await import('@metertwin/service-kit');
    expect(BaseEnvSchema.parse({ DATABASE_URL: 'postgresql://x@127.0.0.1/db', PORT: '1' }).HOST).toBe('127.0.0.1');
  });
});
