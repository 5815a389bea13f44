import type { CameraSimulator } from '@metertwin/camera-sim';
import type { PrismaClient } from '@metertwin/db';
import { DiskStorage } from '@metertwin/storage';
import { createReading } from '../fixtures';

/**
 * A meter that looks like a real one in the portal: the camera simulator's composed photo and layout,
 * Korean names, a pull camera, two weeks of daily readings (a photo each, the last one 5 minutes ago,
 * 1,250.5 m³ a day) and an active alarm; plus a meter without a camera. Returns the first meter's id.
 */
export async function seedTwinMeter(
  prisma: PrismaClient,
  { orgId, storageDir, camera }: { orgId: string; storageDir: string; camera: CameraSimulator },
): Promise<string> {
  const photo = Buffer.from(await (await fetch(`${camera.url}/capture`)).arrayBuffer());
  const { layout } = camera;
  const meterId = (
    await prisma.meter.create({
      data: {
        orgId,
        name: '본관 급수',
        location: '본관 지하 1층',
        group: '북측',
        digits: layout.digits.length,
        decimals: 3,
        layout: layout as object,
        timeZone: 'Asia/Seoul',
        devices: { create: { name: '카메라', snapshotUrl: `${camera.url}/capture`, lastSeenAt: new Date() } },
      },
    })
  ).id;
  await prisma.meter.create({ data: { orgId, name: '별관 예비', digits: 5 } });
  const storage = new DiskStorage(storageDir);
  const digits = layout.digits.map((box, i) => ({
    value: i,
    digit: Number('01234567'[i]),
    confidence: i === 6 ? 0.72 : 0.97,
    box,
  }));
  for (let day = 14; day >= 0; day--) {
    const reading = await createReading(prisma, meterId, {
      takenAt: new Date(Date.now() - day * 86_400_000 - 5 * 60_000),
      value: day === 0 ? '01234.567' : (1000 + (14 - day) * 1250.5).toFixed(3).padStart(9, '0'),
      numeric: (1000 + (14 - day) * 1250.5).toFixed(3),
      consumption: '1250.500',
      confidence: 0.95,
      digits,
      capture: { width: layout.reference.width, height: layout.reference.height },
    });
    const capture = await prisma.capture.update({
      where: { id: reading.captureId },
      data: { contentType: 'image/jpeg', bytes: photo.byteLength },
    });
    await storage.put(capture.storageKey, photo);
    await prisma.reading.update({ where: { id: reading.id }, data: { modelVersion: 'cnn-7' } });
  }
  await prisma.alarm.create({
    data: { orgId, meterId, type: 'flow-rate', severity: 'major', message: '유량 1.8 m³/h 초과', status: 'active' },
  });
  return meterId;
}
