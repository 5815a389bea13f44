import type { PrismaClient } from './generated/client.js';
import { SecretPurpose, type SecretBox } from './secret-box.js';

/**
 * Seals camera passwords stored in plain text (before secrets were sealed) or under a previous
 * key. Idempotent; ingest runs it at start. Returns how many rows it sealed.
 */
export async function sealCameraPasswords(prisma: PrismaClient, secrets: SecretBox): Promise<number> {
  const devices = await prisma.device.findMany({
    where: { basicAuthPassword: { not: null } },
    select: { id: true, basicAuthPassword: true },
  });
  let sealed = 0;
  for (const { id, basicAuthPassword } of devices) {
    if (!basicAuthPassword || !secrets.needsResealing(basicAuthPassword)) continue;
    const plain = secrets.open(basicAuthPassword, SecretPurpose.CameraPassword);
    // Only the value read is replaced: a password changed meanwhile is left for the next start.
    const { count } = await prisma.device.updateMany({
      where: { id, basicAuthPassword },
      data: { basicAuthPassword: secrets.seal(plain, SecretPurpose.CameraPassword) },
    });
    sealed += count;
  }
  return sealed;
}
