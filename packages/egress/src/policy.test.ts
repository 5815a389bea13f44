import { describe, expect, it } from 'vitest';
import { classifyAddress } from './address.js';
import { DeviceNetworksSchema, OutboundEnvShape, outboundPolicy } from './config.js';
import { OutboundError } from './errors.js';
import { checkDestination, parseAllowEntry, type OutboundPolicy } from './policy.js';

const policy = (networks: string[] = [], allow = ''): OutboundPolicy =>
  outboundPolicy(networks, OutboundEnvShape.OUTBOUND_ALLOWED_HOSTS.parse(allow));

async function refusedWith(url: string, p: OutboundPolicy): Promise<string> {
  const error = await checkDestination(url, p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundError);
  const { failure, message } = error as OutboundError;
  // The refusal's message says so itself; other failures are prefixed with their kind.
  return failure === 'refused' ? message : `${failure}: ${message}`;
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['169.254.169.254', 'cloud metadata'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['169.254.3.4', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['93.184.216.34', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('the destination policy', () => {
  it('refuses the server itself and cloud metadata, whatever the organization sets (the onboarding proxy hole)', async () => {
    const lan = policy(['192.168.0.0/16', '10.0.0.0/8']);
    expect(await refusedWith('http://127.0.0.1:3004/metrics', lan)).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
    expect(await refusedWith('http://169.254.169.254/latest/meta-data/', lan)).toMatch(/cloud metadata/);
    expect(await refusedWith('http://[::1]:3001/healthz', lan)).toMatch(/loopback/);
    expect(await refusedWith('http://[::ffff:169.254.169.254]/', lan)).toMatch(/cloud metadata/);
    // The URL parser turns these spellings into 127.0.0.1 before the check sees them.
    expect(await refusedWith('http://2130706433/', lan)).toMatch(/loopback/);
    expect(await refusedWith('http://0x7f.1/', lan)).toMatch(/loopback/);
    expect(await refusedWith('http://0.0.0.0:3000/', lan)).toMatch(/unspecified/);
  });

  it('checks what a host name resolves to, without naming the address', async () => {
    const message = await refusedWith('http://localhost:3004/metrics', policy());
    expect(message).toMatch(/^refused: localhost resolves to a loopback address/);
    expect(message).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it("reaches a private camera only on the organization's device networks", async () => {
    expect(await refusedWith('http://192.168.1.20/capture', policy())).toMatch(/private address outside the organization's device networks/);
    expect(await refusedWith('http://192.168.2.20/capture', policy(['192.168.1.0/24']))).toMatch(/private/);
    const ok = await checkDestination('http://192.168.1.20/capture', policy(['192.168.1.0/24']));
    expect(ok.addresses).toEqual([{ address: '192.168.1.20', family: 4 }]);
    await expect(checkDestination('http://[fd12::7]/capture', policy(['fd12::/64']))).resolves.toBeTruthy();
  });

  it('lets public addresses through', async () => {
    await expect(checkDestination('https://93.184.216.34/hook', policy())).resolves.toMatchObject({
      addresses: [{ address: '93.184.216.34', family: 4 }],
    });
  });

  it('opens internal addresses only where the deployment names them, port included', async () => {
    const demo = policy([], '127.0.0.1:8081');
    await expect(checkDestination('http://127.0.0.1:8081/capture', demo)).resolves.toBeTruthy();
    expect(await refusedWith('http://127.0.0.1:3004/metrics', demo)).toMatch(/loopback/);
    expect(await refusedWith('http://127.0.0.2:8081/capture', demo)).toMatch(/loopback/);
    const byName = policy([], 'localhost:8081');
    await expect(checkDestination('http://localhost:8081/capture', byName)).resolves.toBeTruthy();
    expect(await refusedWith('http://localhost:8082/capture', byName)).toMatch(/loopback/);
    await expect(checkDestination('http://127.0.0.1:9/x', policy([], '127.0.0.0/8'))).resolves.toBeTruthy();
  });

  it('refuses other schemes and credentials in the URL', async () => {
    expect(await refusedWith('file:///etc/passwd', policy())).toMatch(/^invalid-url: file: URLs are not fetched/);
    expect(await refusedWith('gopher://93.184.216.34/', policy())).toMatch(/invalid-url/);
    expect(await refusedWith('http://u:p@93.184.216.34/', policy())).toMatch(/invalid-url/);
    expect(await refusedWith('not a url', policy())).toMatch(/invalid-url/);
  });

  it('answers unresolvable names without resolver detail', async () => {
    expect(await refusedWith('http://no-such-host.invalid/', policy())).toBe('unresolvable: cannot resolve no-such-host.invalid');
  });
});

describe('configuration', () => {
  it('parses the allow-list', () => {
    expect(parseAllowEntry('127.0.0.1:8081')).toEqual({ kind: 'network', network: { address: '127.0.0.1', prefix: 32, family: 'ipv4' }, port: 8081 });
    expect(parseAllowEntry('[::1]:8081')).toEqual({ kind: 'network', network: { address: '::1', prefix: 128, family: 'ipv6' }, port: 8081 });
    expect(parseAllowEntry('::1')).toMatchObject({ kind: 'network', network: { prefix: 128 } });
    expect(parseAllowEntry('10.0.0.0/8')).toEqual({ kind: 'network', network: { address: '10.0.0.0', prefix: 8, family: 'ipv4' } });
    expect(parseAllowEntry('Camera-Sim:8081')).toEqual({ kind: 'host', host: 'camera-sim', port: 8081 });
    expect(parseAllowEntry('hooks.internal')).toEqual({ kind: 'host', host: 'hooks.internal', port: undefined });
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', 'host:0', 'host:70000', '10.0.0.0/8/1', '::1/129']) {
      expect(parseAllowEntry(bad), bad).toBeUndefined();
    }
    expect(OutboundEnvShape.OUTBOUND_ALLOWED_HOSTS.safeParse('camera-sim:8081, not a host').success).toBe(false);
    expect(OutboundEnvShape.OUTBOUND_ALLOWED_HOSTS.parse('')).toEqual([]);
  });

  it('takes private device networks only, normalized', () => {
    expect(DeviceNetworksSchema.parse([' 192.168.1.0/24 ', '10.20.0.0/16', 'FD12::/64', '192.168.1.0/24', ''])).toEqual([
      '192.168.1.0/24',
      '10.20.0.0/16',
      'fd12::/64',
    ]);
    for (const bad of ['0.0.0.0/0', '127.0.0.0/8', '169.254.0.0/16', '8.8.8.0/24', '10.0.0.0/7', '100.64.0.0/10', 'fd00:ec2::/64', 'lan']) {
      expect(DeviceNetworksSchema.safeParse([bad]).success, bad).toBe(false);
    }
  });
});
