import { describe, expect, it } from 'vitest';
import { checkDestination, parseAllowEntry, refusedRange, type AllowEntry } from './webhook-guard.js';

const allow = (...entries: string[]): AllowEntry[] => entries.map((e) => parseAllowEntry(e)!);

describe('webhook destination guard', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.9.9.9', /loopback/],
    ['::1', /loopback/],
    ['169.254.169.254', /metadata/],
    ['169.254.3.4', /link-local/],
    ['fe80::1', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['10.1.2.3', /private/],
    ['172.20.0.1', /private/],
    ['192.168.1.1', /private/],
    ['fd00:ec2::254', /private/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:a9fe:a9fe', /metadata/],
  ])('refuses %s', (address, why) => {
    expect(refusedRange(address)).toMatch(why);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1'])('lets %s through', (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });

  it('parses allow-list entries and rejects junk', () => {
    expect(parseAllowEntry('127.0.0.1')).toEqual({ kind: 'cidr', address: '127.0.0.1', prefix: 32, family: 'ipv4' });
    expect(parseAllowEntry('10.0.0.0/8')).toEqual({ kind: 'cidr', address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseAllowEntry('fd00::/8')).toMatchObject({ kind: 'cidr', family: 'ipv6', prefix: 8 });
    expect(parseAllowEntry('Hooks.Internal')).toEqual({ kind: 'host', host: 'hooks.internal' });
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '10.0.0.0/8/1', '::1/129']) expect(parseAllowEntry(bad)).toBeUndefined();
  });

  it('refuses internal IP literals unless allowed, and non-http URLs', async () => {
    await expect(checkDestination('http://127.0.0.1:8080/x', [])).rejects.toThrow(/^refused: .*loopback/);
    await expect(checkDestination('http://[::1]/x', [])).rejects.toThrow(/loopback/);
    await expect(checkDestination('http://169.254.169.254/latest/meta-data', allow('127.0.0.1'))).rejects.toThrow(/metadata/);
    await expect(checkDestination('http://127.0.0.2/x', allow('127.0.0.1'))).rejects.toThrow(/loopback/);
    await expect(checkDestination('file:///etc/passwd', [])).rejects.toThrow(/refused/);
    const ok = await checkDestination('http://127.0.0.1:8080/x', allow('127.0.0.0/8'));
    expect(ok.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});

describe('WEBHOOK_ALLOWED_HOSTS', () => {
  const base = { DATABASE_URL: 'postgresql://localhost/x' };
  it('is validated by the env schema', async () => {
    const { NotifyEnvSchema } = await import('./config.js');
    expect(NotifyEnvSchema.parse({ ...base }).WEBHOOK_ALLOWED_HOSTS).toEqual([]);
    expect(NotifyEnvSchema.parse({ ...base, WEBHOOK_ALLOWED_HOSTS: ' hooks.internal, 10.0.0.0/8 ' }).WEBHOOK_ALLOWED_HOSTS).toHaveLength(2);
    expect(NotifyEnvSchema.safeParse({ ...base, WEBHOOK_ALLOWED_HOSTS: 'hooks.internal,not a host' }).success).toBe(false);
  });
});
