import { BlockList, isIP } from 'node:net';

/**
 * What an IP address is, for deciding whether the platform may connect to it:
 * - `public`: the internet;
 * - `private`: a LAN (RFC 1918, CGNAT, IPv6 unique local), where cameras and valves live: reachable
 *   only for an organization that lists the network;
 * - everything else is the server's own machine or cloud plumbing, never reachable unless the
 *   deployment names it.
 */
export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'cloud metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

type Family = 'ipv4' | 'ipv6';

// First match wins: the metadata endpoints sit inside link-local, CGNAT and unique-local ranges.
const RANGES: readonly [string, number, Family, AddressClass][] = [
  ['169.254.169.254', 32, 'ipv4', 'cloud metadata'], // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean
  ['100.100.100.200', 32, 'ipv4', 'cloud metadata'], // Alibaba
  ['fd00:ec2::254', 128, 'ipv6', 'cloud metadata'], // AWS over IPv6
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'reserved'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['198.51.100.0', 24, 'ipv4', 'reserved'],
  ['203.0.113.0', 24, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['2001:db8::', 32, 'ipv6', 'reserved'],
];

const CLASSIFIERS = RANGES.map(([network, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, network, prefix, family, kind };
});

/** An address in the form the checks use: IPv4 embedded in IPv6 (::ffff:a.b.c.d, NAT64) is judged as IPv4. */
export function normalizeAddress(address: string): { address: string; family: Family } | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return undefined;
  const m = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(bare);
  if (m?.[1]) return { address: m[1], family: 'ipv4' };
  if (m?.[2] && m[3]) {
    const hi = parseInt(m[2], 16);
    const lo = parseInt(m[3], 16);
    return { address: [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.'), family: 'ipv4' };
  }
  return { address: bare.toLowerCase(), family: 'ipv6' };
}

/** The class of an IP address (see AddressClass); undefined when it is not an IP address. */
export function classifyAddress(address: string): AddressClass | undefined {
  const ip = normalizeAddress(address);
  if (!ip) return undefined;
  for (const c of CLASSIFIERS) if (c.family === ip.family && c.list.check(ip.address, ip.family)) return c.kind;
  return 'public';
}

/** A network in CIDR notation (`10.20.0.0/16`, `fd12::/64`; a bare address is a /32 or /128). */
export interface Network {
  address: string;
  prefix: number;
  family: Family;
}

export function parseNetwork(text: string): Network | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const ip = normalizeAddress(address);
  if (!ip || extra !== undefined) return undefined;
  const max = ip.family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { address: ip.address, prefix, family: ip.family };
}

export function formatNetwork(network: Network): string {
  return `${network.address}/${network.prefix}`;
}

/** A BlockList over networks, for membership tests of normalized addresses. */
export function networkSet(networks: readonly Network[]): (address: string) => boolean {
  const list = new BlockList();
  for (const n of networks) list.addSubnet(n.address, n.prefix, n.family);
  return (address) => {
    const ip = normalizeAddress(address);
    return !!ip && list.check(ip.address, ip.family);
  };
}

/**
 * Whether every address of the network is private (a LAN an organization may open to its
 * devices): `192.168.1.0/24` is, `0.0.0.0/0`, `127.0.0.0/8` and `169.254.0.0/16` are not.
 */
export function isPrivateNetwork(network: Network): boolean {
  return CLASSIFIERS.some(
    (c) =>
      c.kind === 'private' &&
      c.family === network.family &&
      network.prefix >= c.prefix &&
      c.list.check(network.address, network.family),
  ) && !CLASSIFIERS.some(
    // A private network must not swallow a metadata endpoint (100.64.0.0/10 holds Alibaba's).
    (c) =>
      c.kind === 'cloud metadata' &&
      c.family === network.family &&
      networkSet([network])(c.network),
  );
}
