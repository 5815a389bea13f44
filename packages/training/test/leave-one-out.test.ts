import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isImageFile, labelFromName } from '@metertwin/recognizer';
import { leaveOneMeterOut } from '../src/leave-one-out.js';

const FIXTURES = fileURLToPath(new URL('../../recognizer/test/fixtures/digits', import.meta.url));
/** The fixture crops' meter is the middle of their name: 2.6_powermeter-emeter1_05.jpg. */
const meterOf = (name: string) => name.replace(/^[\d.]+_/, '').replace(/_\d+\.\w+$/, '');
const HELD_OUT = ['gasmeter-gmt-iotson', 'jomjol-neural-network-autotrain-digital-counter-ziffer-raw', 'powermeter-emeter1'];

/** The fixture crops (8 meters, 2–3 crops each, one a BMP) as the train split of a data folder, one more as val. */
describe('leaveOneMeterOut', () => {
  let dir: string;
  const counts = new Map<string, number>();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'recognizer-loo-'));
    const rows = ['relpath,value,meter_group,split'];
    for (const name of (await readdir(FIXTURES)).filter(isImageFile).sort()) {
      await copyFile(path.join(FIXTURES, name), path.join(dir, name));
      rows.push(`${name},${labelFromName(name)},${meterOf(name)},train`);
      counts.set(meterOf(name), (counts.get(meterOf(name)) ?? 0) + 1);
    }
    await copyFile(path.join(FIXTURES, '4.3_watermeter-techem-v-dr_09.jpg'), path.join(dir, 'val.jpg'));
    rows.push('val.jpg,4.3,val-meter,val');
    await writeFile(path.join(dir, 'manifest.csv'), `${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores each train meter with a model trained on the others only, and leaves val meters out', async () => {
    const report = await leaveOneMeterOut({ dataDir: dir, meters: HELD_OUT, epochs: 1, stepsPerEpoch: 3, syntheticCount: 64 });
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(Object.keys(report.perMeter).sort()).toEqual(HELD_OUT);
    for (const [meter, scores] of Object.entries(report.perMeter)) {
      expect(scores.n).toBe(counts.get(meter));
      expect(scores.trainedOn).toBe(total - counts.get(meter)!);
    }
    const meterScores = Object.values(report.perMeter);
    const heldOut = meterScores.reduce((sum, s) => sum + s.n, 0);
    expect(report.overall.n).toBe(heldOut);
    const pooled = meterScores.reduce((sum, s) => sum + s.tolerantInteger * s.n, 0) / heldOut;
    expect(report.overall.tolerantInteger).toBeCloseTo(pooled, 3);
    expect(report.worstMeter!.tolerantInteger).toBe(Math.min(...meterScores.map((s) => s.tolerantInteger)));
    expect(report.budget).toMatchObject({ epochs: 1, stepsPerEpoch: 3, calibration: 'none (T = 1)' });
  });

  it('refuses a meter that is not a train meter', async () => {
    await expect(leaveOneMeterOut({ dataDir: dir, meters: ['no-such-meter'] })).rejects.toThrow(/not train meters of .*: no-such-meter/);
  });
});
