import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeSeriesConfigProblems, TimeSeriesEnvShape } from './config.js';
import type { ExportedReading } from './reading-export.repository.js';
import { readingPoint } from './reading-point.js';

const reading: ExportedReading & { numeric: number } = {
  id: 'r1',
  status: 'accepted',
  numeric: 1234.567,
  consumption: null,
  flowPerHour: null,
  energy: null,
  confidence: 0.97,
  takenAt: new Date('2026-12-04T10:00:00.123Z'),
  meter: { id: 'm1', name: 'Block A, riser 2 =hot', kind: 'water', unit: 'm3', org: { slug: 'acme' } },
};
/** As the write API with ms precision renders it. */
const line = (r: typeof reading) => readingPoint('meter_reading', r).toLineProtocol({ convertTime: (d) => String((d as Date).getTime()) });

describe('readingPoint', () => {
  it('writes the value at the photo time, with the meter names escaped as line protocol wants', () => {
    expect(line(reading)).toBe(
      'meter_reading,kind=water,meter=Block\\ A\\,\\ riser\\ 2\\ \\=hot,meter_id=m1,org=acme,unit=m3 confidence=0.97,reading_id="r1",value=1234.567 1796378400123',
    );
  });

  it('adds consumption, flow and energy only when the reading has them', () => {
    expect(line({ ...reading, consumption: 0.5, flowPerHour: 0.25, energy: 3.2 })).toContain(
      'confidence=0.97,consumption=0.5,energy=3.2,flow_per_hour=0.25,reading_id="r1",value=1234.567 ',
    );
  });
});

describe('timeSeriesConfigProblems', () => {
  const parse = (env: Record<string, string>) => z.object(TimeSeriesEnvShape).parse(env);
  it('is off without INFLUX_URL and names what a half-set export lacks', () => {
    expect(timeSeriesConfigProblems(parse({}))).toEqual([]);
    expect(timeSeriesConfigProblems(parse({ INFLUX_URL: 'http://influx:8086' }))).toEqual([
      'INFLUX_URL is set but INFLUX_TOKEN is not',
      'INFLUX_URL is set but INFLUX_BUCKET is not',
    ]);
    expect(timeSeriesConfigProblems(parse({ INFLUX_URL: 'http://influx:8086', INFLUX_TOKEN: 't', INFLUX_BUCKET: 'b' }))).toEqual([]);
    expect(() => parse({ INFLUX_URL: 'ftp://influx' })).toThrow();
  });
});
