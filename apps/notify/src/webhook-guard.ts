import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** One WEBHOOK_ALLOWED_HOSTS entry: an exact hostname, or an address range. */
export type AllowEntry = { kind: 'host'; host: string } | { kind: 'cidr'; address: string; prefix: number; family: 'ipv4' | 'ipv6' };

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

/** Parses an allow-list entry (`hooks.internal`, `127.0.0.1`, `10.0.0.0/8`, `fd00::/8`); undefined when it is neither. */
export function parseAllowEntry(entry: string): AllowEntry | undefined {
  const [address = '', prefixText, extra] = entry.split('/');
  const version = isIP(address);
  if (version !== 0 && extra === undefined) {
    const max = version === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(prefix >= 0 && prefix <= max)) return undefined;
    return { kind: 'cidr', address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
  }
  if (prefixText === undefined && HOSTNAME.test(entry)) return { kind: 'host', host: entry.toLowerCase().replace(/\.$/, '') };
  return undefined;
}

/** Addresses no webhook may reach unless allowed: loopback, link-local (metadata), private, unspecified, multicast, reserved. */
const REFUSED: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.169.254', 32, 'ipv4', 'cloud metadata'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

/** The refused range an address falls in, or undefined for a public address. IPv4-mapped/-compatible IPv6 is judged as IPv4. */
export function refusedRange(address: string): string | undefined {
  const v4 = embeddedIpv4(address);
  const family = v4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
  if (!family) return 'not an IP address';
  const target = v4 ?? address;
  for (const [net, prefix, fam, why] of REFUSED) {
    if (fam !== family) continue;
    const list = new BlockList();
    list.addSubnet(net, prefix, fam);
    if (list.check(target, fam)) return `${why} (${net}/${prefix})`;
  }
  return undefined;
}

/** The IPv4 address inside ::ffff:a.b.c.d / ::ffff:xxxx:xxxx / 64:ff9b::a.b.c.d, if any. */
function embeddedIpv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  const m = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export class RefusedDestinationError extends Error {}

export interface ResolvedDestination {
  url: URL;
  /** The checked addresses; the request connects to these only (no second DNS answer, no rebinding). */
  addresses: { address: string; family: 4 | 6 }[];
}

/**
 * Resolves the webhook URL's host (every address) and refuses it when any address is internal and
 * not allowed by WEBHOOK_ALLOWED_HOSTS; a hostname on the allow-list is allowed whatever it resolves to.
 */
export async function checkDestination(rawUrl: string, allow: readonly AllowEntry[]): Promise<ResolvedDestination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new RefusedDestinationError(`invalid webhook URL ${JSON.stringify(rawUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedDestinationError(`refused: ${url.protocol} URLs are not delivered`);
  if (url.username || url.password) throw new RefusedDestinationError('refused: credentials in the webhook URL');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  const hostAllowed = allow.some((a) => a.kind === 'host' && a.host === host);
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    throw new Error(`cannot resolve ${host}: ${(error as Error).message}`);
  }
  if (addresses.length === 0) throw new Error(`cannot resolve ${host}: no address`);
  if (!hostAllowed) {
    const allowList = new BlockList();
    for (const a of allow) if (a.kind === 'cidr') allowList.addSubnet(a.address, a.prefix, a.family);
    for (const { address, family } of addresses) {
      const why = refusedRange(address);
      if (why && !allowList.check(embeddedIpv4(address) ?? address, embeddedIpv4(address) ? 'ipv4' : family === 6 ? 'ipv6' : 'ipv4')) {
        throw new RefusedDestinationError(
          `refused: ${host} resolves to ${address}, a ${why} address; add it to WEBHOOK_ALLOWED_HOSTS to allow it`,
        );
      }
    }
  }
  return { url, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}

/** A `lookup` for http.request that answers with the checked addresses only. */
export function pinnedLookup(addresses: ResolvedDestination['addresses']): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}
