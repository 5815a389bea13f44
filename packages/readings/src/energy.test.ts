import { describe, expect, it } from 'vitest';
import type { CounterShape } from './assemble.js';
import { deriveConsumption } from './consumption.js';
import { ConversionSchema, toEnergy } from './energy.js';

const at = (hour: number) => new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000);

describe('deriveConsumption', () => {
  const shape: CounterShape = { digits: 8, decimals: 3 };

  it('gives the volume and flow between two readings, across the wrap', () => {
    const plain = deriveConsumption(
      { numeric: 1234.5, takenAt: at(0) },
      { numeric: 1236, takenAt: at(2) },
      shape,
    );
    expect(plain).toEqual({ consumption: 1.5, hours: 2, flowPerHour: 0.75 });
    const wrapped = deriveConsumption(
      { numeric: 99999.999, takenAt: at(0) },
      { numeric: 0.012, takenAt: at(1) },
      shape,
    );
    expect(wrapped.consumption).toBe(0.013);
  });

  it('has no flow for readings taken at the same time', () => {
    expect(
      deriveConsumption({ numeric: 1, takenAt: at(0) }, { numeric: 2, takenAt: at(0) }, shape).flowPerHour,
    ).toBeNull();
  });
});

describe('toEnergy', () => {
  it('multiplies by the meter factor', () => {
    expect(toEnergy(2.5, ConversionSchema.parse({ kind: 'factor', kWhPerUnit: 10 }))).toBe(25);
  });

  it('uses water heat capacity and the temperature drop', () => {
    // 1 m³ cooled by 20 K: 1.163 × 20 = 23.26 kWh.
    expect(
      toEnergy(1, ConversionSchema.parse({ kind: 'thermal', flowTempC: 70, returnTempC: 50 })),
    ).toBeCloseTo(23.26);
    // 500 L on a counter in litres, 80 → 60 °C.
    const litres = ConversionSchema.parse({
      kind: 'thermal',
      flowTempC: 80,
      returnTempC: 60,
      m3PerUnit: 0.001,
    });
    expect(toEnergy(500, litres)).toBeCloseTo(11.63);
  });

  it('refuses a heating circuit that returns warmer than it flows', () => {
    expect(() => ConversionSchema.parse({ kind: 'thermal', flowTempC: 40, returnTempC: 60 })).toThrow(
      /returnTempC/,
    );
  });
});
