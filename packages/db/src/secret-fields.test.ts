import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createPrismaClient, type PrismaClient } from './index.js';
import { createMeterWithCamera } from './provisioning.js';
import { parseSecretKey, SecretBox, SecretPurpose } from './secret-box.js';
import { sealCameraPasswords } from './secret-fields.js';

const key = () => parseSecretKey(randomBytes(32).toString('base64'));

describe('camera passwords at rest', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let orgId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    orgId = (await prisma.organization.create({ data: { name: 'Sealed', slug: `sealed-${Date.now()}` } })).id;
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('are written sealed, and plain or old-key rows are sealed with the current key', async () => {
    const oldKey = key();
    const old = new SecretBox(oldKey);
    const camera = (password: string) => ({ snapshotUrl: 'http://192.168.1.9/capture', basicAuth: { user: 'cam', password } });
    await expect(createMeterWithCamera(prisma, { orgId, name: 'no box', digits: 5, decimals: 0 }, camera('x'))).rejects.toThrow(/sealed/);
    const a = await createMeterWithCamera(prisma, { orgId, name: 'A', digits: 5, decimals: 0 }, camera('pw-a'), old);
    const b = await createMeterWithCamera(prisma, { orgId, name: 'B', digits: 5, decimals: 0 }, camera('pw-b'), old);
    // A row from before secrets were sealed.
    await prisma.device.update({ where: { id: b.deviceId }, data: { basicAuthPassword: 'pw-b-plain' } });

    const rotated = new SecretBox(key(), [oldKey]);
    expect(await sealCameraPasswords(prisma, rotated)).toBe(2);
    expect(await sealCameraPasswords(prisma, rotated)).toBe(0);
    const rows = await prisma.device.findMany({ where: { id: { in: [a.deviceId, b.deviceId] } }, orderBy: { name: 'asc' } });
    expect(rows.map((r) => rotated.needsResealing(r.basicAuthPassword!))).toEqual([false, false]);
    expect(rows.map((r) => rotated.open(r.basicAuthPassword!, SecretPurpose.CameraPassword))).toEqual(['pw-a', 'pw-b-plain']);
    expect(rows.every((r) => !r.basicAuthPassword!.includes('pw-'))).toBe(true);
  });
});
