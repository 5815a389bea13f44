import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { labelFromName, loadDigitDataset, SAMPLE_BYTES } from '../src/dataset.js';

async function png(file: string, shade: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 24, height: 44, channels: 3, background: { r: shade, g: shade, b: 255 - shade } } })
    .png()
    .toFile(file);
}

describe('labelFromName', () => {
  it.each([
    ['3.4_abc.jpg', 3.4],
    ['3_abc.jpg', 3],
    ['0.7000000000000001_10_dig8.jpg', 0.7],
    ['7.88_dig4.jpg', 7.8],
    ['0-1.jpg', 0],
    ['9.9_x.png', 9.9],
    ['dir/2.0_x.bmp', 2],
  ])('%s -> %d', (name, value) => {
    expect(labelFromName(name)).toBe(value);
  });
  it.each(['abc.jpg', '12.3_x.jpg', '-1_x.jpg'])('%s has no label', (name) => {
    expect(labelFromName(name)).toBeUndefined();
  });
});

describe('loadDigitDataset', () => {
  it('reads labels from names, drops content duplicates and splits by meter folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'recognizer-ds-'));
    const meters = ['meterA', 'meterB', 'meterC', 'meterD', 'meterE', 'meterF'];
    let shade = 0;
    for (const m of meters) {
      for (const v of ['1.2', '5.0', '9.9']) await png(path.join(dir, m, `${v}_${m}.png`), (shade += 10));
    }
    // Same bytes as meterA/1.2 under another name and meter: a duplicate.
    await png(path.join(dir, 'meterF', '1.2_copy.png'), 10);
    await writeFile(path.join(dir, 'meterA', 'notes.txt'), 'not an image');
    await png(path.join(dir, 'meterA', 'unlabeled.png'), 99);

    const ds = await loadDigitDataset(dir, { cache: false });
    expect(ds.duplicates).toBe(1);
    expect(ds.skipped).toEqual([{ relpath: 'meterA/unlabeled.png', reason: 'no label in file name' }]);
    expect(ds.samples).toHaveLength(18);
    expect(ds.pixels.length).toBe(18 * SAMPLE_BYTES);
    const s = ds.samples.find((x) => x.relpath === 'meterC/9.9_meterC.png')!;
    expect(s).toMatchObject({ value: 9.9, cls: 99, meter: 'meterC' });
    // Every meter lies wholly in one split, and both splits are used.
    const splitOf = new Map<string, Set<string>>();
    for (const x of ds.samples) splitOf.set(x.meter, (splitOf.get(x.meter) ?? new Set()).add(x.split));
    for (const splits of splitOf.values()) expect(splits.size).toBe(1);
    expect(new Set(ds.samples.map((x) => x.split))).toEqual(new Set(['train', 'val']));
  });

  it('takes meter and split from manifest.csv when present, skipping files it does not list', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'recognizer-ds-'));
    await png(path.join(dir, 'images', '3.4_a.png'), 10);
    await png(path.join(dir, 'images', '7_b.png'), 20);
    await png(path.join(dir, 'images', '8.8_c.png'), 30);
    await writeFile(
      path.join(dir, 'manifest.csv'),
      'relpath,value,digit,label_kind,meter_group,width,height,md5,split\n' +
        'images/3.4_a.png,3.4,3,tenth,water/one,24,44,x,train\n' +
        'images/7_b.png,7.0,7,integer,power/two,24,44,y,val\n',
    );
    const ds = await loadDigitDataset(dir, { cache: false });
    expect(ds.samples.map((x) => [x.relpath, x.value, x.meter, x.split])).toEqual([
      ['images/3.4_a.png', 3.4, 'water/one', 'train'],
      ['images/7_b.png', 7, 'power/two', 'val'],
    ]);
    expect(ds.skipped).toEqual([{ relpath: 'images/8.8_c.png', reason: 'not in manifest.csv' }]);
  });
});
