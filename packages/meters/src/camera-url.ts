import { checkDestination, OutboundError, outboundPolicy, type AllowEntry, type OutboundPolicy } from '@metertwin/egress';
import { DomainError } from '@metertwin/alarms';
import { findOrgDeviceNetworks, type Prisma } from '@metertwin/db';
import { z } from 'zod';

/** Only http(s) URLs without embedded credentials (those go in basicAuth): no file:, data:, ftp: … */
export const CameraUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'the camera URL must be an http:// or https:// URL' }))
  .refine((u) => !new URL(u).username && !new URL(u).password, {
    message: 'put the camera user and password in the basic auth fields, not in the URL',
    params: { code: 'url-credentials' },
  });

/** The organization's outbound policy: its device networks and the deployment's allow-list. */
export async function cameraPolicy(db: Prisma.TransactionClient, orgId: string, allowedHosts: readonly AllowEntry[]): Promise<OutboundPolicy> {
  return outboundPolicy(await findOrgDeviceNetworks(db, orgId), allowedHosts);
}

/** The field a path such as `camera.snapshotUrl` names, as clients translate it. */
const fieldName = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/**
 * A camera URL that ingest's pulls would refuse (the server's own network, an address outside the
 * organization's device networks) is refused when it is saved, not discovered at the first pull:
 * a DomainError 'invalid' naming `field`.
 */
export async function checkCameraUrl(policy: OutboundPolicy, url: string, field: string): Promise<void> {
  try {
    await checkDestination(url, policy);
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    // A name that does not resolve from here now may later; every pull checks again.
    if (error.failure === 'refused' || error.failure === 'invalid-url') {
      const detail = error.refusal && { code: error.refusal.code, params: { ...error.refusal.params, field: fieldName(field) } };
      throw new DomainError('invalid', `${field}: ${error.message}`, detail);
    }
  }
}
