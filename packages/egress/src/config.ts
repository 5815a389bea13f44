import { z } from 'zod';
import { formatNetwork, parseNetwork, type Network } from './address.js';
import { parseAllowList, parseDeviceNetwork, type AllowEntry, type OutboundPolicy } from './policy.js';

/**
 * OUTBOUND_ALLOWED_HOSTS, for every process that calls configured URLs: a comma list of host names,
 * IP addresses or CIDRs, each optionally with a port, that may be reached although they are
 * loopback, link-local or otherwise internal (e.g. `127.0.0.1:8081` for the demo's simulated camera).
 * Empty (the default): public addresses, and each organization's own device networks, only.
 */
export const OutboundEnvShape = {
  OUTBOUND_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value, ctx): AllowEntry[] => {
      const { entries, invalid } = parseAllowList(value);
      for (const entry of invalid) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not a host, IP address or CIDR (with an optional :port)` });
      }
      return entries;
    }),
};

/** An organization's device networks as an admin submits them: private CIDRs, normalized, at most 64. */
export const DeviceNetworksSchema = z
  .array(z.string().max(64))
  .max(64)
  .transform((list, ctx) =>
    [
      ...new Set(
        list
          .map((s) => s.trim())
          .filter(Boolean)
          .flatMap((text) => {
            const parsed = parseDeviceNetwork(text);
            if (typeof parsed === 'string') {
              ctx.addIssue({ code: 'custom', message: parsed, params: { code: 'not-a-device-network', network: text } });
              return [];
            }
            return [formatNetwork(parsed)];
          }),
      ),
    ],
  );

/** The policy for an organization from its stored device networks and the deployment's allow-list. */
export function outboundPolicy(deviceNetworks: readonly string[], allow: readonly AllowEntry[]): OutboundPolicy {
  return { networks: deviceNetworks.map(parseNetwork).filter((n): n is Network => !!n), allow };
}
