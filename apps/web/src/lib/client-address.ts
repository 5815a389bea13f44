import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client's address, for throttling sign-in per address.
 *
 * Next 16 hands route handlers no peer address (NextRequest.ip is gone since Next 15). What there is
 * comes from X-Forwarded-For: `next start` writes the socket's address into it, but only when the
 * request carries none (`??=` in next/dist/server/base-server.js). Each trusted proxy appends the
 * address it saw, so the client is the `trustedProxyHops`-th entry from the right, and with no proxy
 * (0) the right-most one, the socket's. Without a proxy a client can send its own header and pick
 * that "address": the per-address limits then only hold for clients that do not lie, and the
 * account-wide back-off (lib/signin-throttle.ts), which needs no address, is what bounds guessing.
 * Put the portal behind a proxy that sets X-Forwarded-For and set TRUSTED_PROXY_HOPS.
 */
export function clientAddress(request: Request, trustedProxyHops: number): string {
  const entries = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return 'unknown';
  // Fewer entries than proxies: the request did not come through all of them; take the outermost.
  const entry = entries[Math.max(0, entries.length - Math.max(trustedProxyHops, 1))]!;
  return addressBucket(entry);
}

/**
 * IPv4 as is, an IPv4-mapped IPv6 as its IPv4, any other IPv6 as its /64 (one subscriber's
 * network: a single host can use all of it), and "invalid" for what is not an address, so made-up
 * values all share one bucket.
 */
function addressBucket(entry: string): string {
  const address = entry.replace(/%.*$/, '').toLowerCase();
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'invalid';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!;
  // The URL parser writes it canonically: lower-case hex groups, "::" at most once, no dotted quad.
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}
