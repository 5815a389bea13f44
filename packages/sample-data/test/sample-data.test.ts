import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digitMeters, digitsDir, labelFromFileName, loadDigitCrops, loadPointerCrops, needlesDir } from '../src/index.js';

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
});
