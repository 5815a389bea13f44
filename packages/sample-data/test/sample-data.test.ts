import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digitMeters, digitsDir, labelFromFileName, loadDigitCrops, loadMeterPhotos, loadPointerCrops, needlesDir, photosDir } from '../src/index.js';

describe('sample-data', () => {
  it('has at least 3 digit crops for every tenth value 0.0–9.9', () => {
    const crops = loadDigitCrops();
    for (let t = 0; t < 100; t++) {
      const n = crops.filter((c) => Math.round(c.value * 10) === t).length;
      expect(n, `value ${(t / 10).toFixed(1)}`).toBeGreaterThanOrEqual(3);
    }
    expect(digitMeters()).toHaveLength(3);
    for (const c of crops) expect(existsSync(c.file)).toBe(true);
  });

  it('labels match the name and the manifest', () => {
    const manifest = readFileSync(path.join(digitsDir, '..', 'manifest.csv'), 'utf8').trim().split('\n').slice(1);
    const byFile = new Map(manifest.map((l) => l.split(',')).map(([f, v]) => [f, Number(v)]));
    for (const c of loadDigitCrops()) {
      const rel = path.relative(path.join(digitsDir, '..'), c.file);
      expect(byFile.get(rel)).toBe(c.value);
    }
    expect(labelFromFileName('3.4_dig7_2022.jpg')).toBe(3.4);
    expect(labelFromFileName('7_2022.jpg')).toBe(7);
    expect(labelFromFileName('LICENSE')).toBeUndefined();
  });

  it('has ~10 pointer crops per value band and both licenses', () => {
    const needles = loadPointerCrops();
    for (let band = 0; band < 10; band++) {
      expect(needles.filter((n) => Math.floor(n.value) === band).length).toBeGreaterThanOrEqual(8);
    }
    expect(readFileSync(path.join(digitsDir, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(path.join(needlesDir, 'LICENSE'), 'utf8')).toContain('MIT License');
  });

  it('has real meter photos with their licence, a label and a meter file per camera setup, under 5 MB', () => {
    const photos = loadMeterPhotos();
    expect(photos.length).toBeGreaterThanOrEqual(5);
    let bytes = 0;
    for (const p of photos) {
      expect(existsSync(p.file), p.file).toBe(true);
      expect(existsSync(p.markedOn), p.markedOn).toBe(true);
      const meter = JSON.parse(readFileSync(p.meterFile, 'utf8')) as { windowQuad: unknown[]; drums: number };
      expect(meter.windowQuad).toHaveLength(4);
      for (const c of p.counter) expect(c.replace('.', '')).toMatch(new RegExp(`^\\d{${meter.drums}}$`));
      bytes += statSync(p.file).size;
    }
    expect(bytes).toBeLessThan(5e6);
    for (const source of new Set(photos.map((p) => p.setup.split('/')[0]!))) {
      expect(readFileSync(path.join(photosDir, source, 'LICENSE'), 'utf8')).toMatch(/MIT License|Apache License|CC0|Creative Commons|BSD/);
    }
  });
});
