import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import {
  classifyAddress,
  isPrivateNetwork,
  networkSet,
  normalizeAddress,
  parseNetwork,
  type AddressClass,
  type Network,
} from './address.js';
import { OutboundError } from './errors.js';

/**
 * One entry of the deployment's allow-list (OUTBOUND_ALLOWED_HOSTS): a host name, an IP address or
 * a CIDR, optionally with a port (`camera-sim:8081`, `127.0.0.1:8081`, `[::1]:8081`, `10.0.0.0/8`).
 * The deployment names what it runs beside the platform (a simulated camera, an internal webhook
 * receiver); nothing an organization sets can open loopback, link-local or metadata addresses.
 */
export type AllowEntry =
  | { kind: 'host'; host: string; port?: number }
  | { kind: 'network'; network: Network; port?: number };

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$/i;

function parsePort(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  return port >= 1 && port <= 65535 ? port : null;
}

/** Parses an allow-list entry; undefined when it is none of the forms above. */
export function parseAllowEntry(text: string): AllowEntry | undefined {
  const entry = text.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    const network = parseNetwork(bracketed[1]!);
    const port = parsePort(bracketed[2]);
    return network && port !== null ? { kind: 'network', network, port } : undefined;
  }
  if (isIP(entry) === 6 || entry.includes('/')) {
    const network = parseNetwork(entry);
    return network ? { kind: 'network', network } : undefined;
  }
  const colon = entry.lastIndexOf(':');
  const host = (colon < 0 ? entry : entry.slice(0, colon)).replace(/\.$/, '');
  const port = parsePort(colon < 0 ? undefined : entry.slice(colon + 1));
  if (port === null) return undefined;
  if (isIP(host) === 4) return { kind: 'network', network: parseNetwork(host)!, port };
  return HOSTNAME.test(host) ? { kind: 'host', host, port } : undefined;
}

/** Parses a comma-separated allow-list; the entries it cannot read are returned as `invalid`. */
export function parseAllowList(text: string): { entries: AllowEntry[]; invalid: string[] } {
  const entries: AllowEntry[] = [];
  const invalid: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const entry = parseAllowEntry(item);
    if (entry) entries.push(entry);
    else invalid.push(item);
  }
  return { entries, invalid };
}

/**
 * Parses an organization's device networks: private CIDRs only (a LAN its cameras and valves are
 * on). Anything else is refused with the reason, so an admin cannot open loopback or the internet-wide
 * `0.0.0.0/0` by accident.
 */
export function parseDeviceNetwork(text: string): Network | string {
  const network = parseNetwork(text);
  if (!network) return `"${text}" is not an IP network in CIDR notation (e.g. 192.168.1.0/24)`;
  if (!isPrivateNetwork(network)) {
    return `"${text}" is not a private network: only 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and fc00::/7 (or parts of them) can be added`;
  }
  return network;
}

/** What an organization's outbound requests may reach, besides the public internet. */
export interface OutboundPolicy {
  /** Private networks the organization's cameras and devices are on (its admin sets them). */
  networks: readonly Network[];
  /** The deployment's allow-list (OUTBOUND_ALLOWED_HOSTS). */
  allow: readonly AllowEntry[];
}

export interface Destination {
  url: URL;
  /** The checked addresses: the request connects to these only (no second DNS answer, no rebinding). */
  addresses: { address: string; family: 4 | 6 }[];
}

const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'mqtt:': 1883,
  'mqtts:': 8883,
  'ws:': 80,
  'wss:': 443,
};

function refusal(host: string, literal: boolean, kind: AddressClass): OutboundError {
  const what = literal ? `${host} is a ${kind} address` : `${host} resolves to a ${kind} address`;
  const hint =
    kind === 'private'
      ? "outside the organization's device networks (an admin can add the camera's network under Settings)"
      : 'which the platform never connects to';
  return new OutboundError('refused', `refused: ${what} ${hint}`, {
    refusal: { code: kind === 'private' ? 'url-private-address' : 'url-forbidden-address', params: { host } },
  });
}

/**
 * Resolves the URL's host once and checks every address against the policy: public addresses pass,
 * private ones when they are in the organization's device networks, anything else (loopback,
 * link-local, cloud metadata, …) only when the deployment's allow-list names it.
 */
export async function checkDestination(
  rawUrl: string | URL,
  policy: OutboundPolicy,
  protocols: readonly string[] = ['http:', 'https:'],
): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new OutboundError('invalid-url', 'not a valid URL', { refusal: { code: 'url-not-valid' } });
  }
  if (!protocols.includes(url.protocol)) {
    const protocol = url.protocol.replace(/:$/, '');
    throw new OutboundError('invalid-url', `${protocol}: URLs are not fetched`, { refusal: { code: 'url-protocol', params: { protocol } } });
  }
  if (url.username || url.password) {
    throw new OutboundError('invalid-url', 'user names and passwords do not belong in the URL', {
      refusal: { code: 'url-credentials' },
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const portMatches = (entry: AllowEntry) => entry.port === undefined || entry.port === port;
  const named = policy.allow.some((e) => e.kind === 'host' && e.host === host && portMatches(e));

  const literal = normalizeAddress(host);
  let addresses: { address: string; family: number }[];
  if (literal) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      throw new OutboundError('unresolvable', `cannot resolve ${host}`, { cause: error });
    }
    if (addresses.length === 0) throw new OutboundError('unresolvable', `cannot resolve ${host}`);
  }
  if (!named) {
    const deploymentAllows = networkSet(
      policy.allow.flatMap((e) => (e.kind === 'network' && portMatches(e) ? [e.network] : [])),
    );
    const inDeviceNetworks = networkSet(policy.networks);
    for (const { address } of addresses) {
      const kind = classifyAddress(address) ?? 'reserved';
      const allowed =
        deploymentAllows(address) || kind === 'public' || (kind === 'private' && inDeviceNetworks(address));
      if (!allowed) throw refusal(host, !!literal, kind);
    }
  }
  return { url, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}

/** A `lookup` for net/http/tls that answers with the checked addresses only. */
export function pinnedLookup(addresses: Destination['addresses']): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}
