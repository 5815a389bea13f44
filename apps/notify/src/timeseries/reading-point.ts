import { Point } from '@influxdata/influxdb-client';
import type { ExportedReading } from './reading-export.repository.js';

/**
 * One accepted reading as an InfluxDB point at the photo's time. Tags identify the meter; fields carry
 * what was measured over the interval since the previous accepted reading. Writing the same reading
 * again writes the same point (same series, same time): a retried export changes nothing.
 */
export function readingPoint(measurement: string, reading: ExportedReading & { numeric: number }): Point {
  const point = new Point(measurement)
    .tag('org', reading.meter.org.slug)
    .tag('meter_id', reading.meter.id)
    .tag('meter', reading.meter.name)
    .tag('kind', reading.meter.kind)
    .tag('unit', reading.meter.unit)
    .floatField('value', reading.numeric)
    .floatField('confidence', reading.confidence)
    .stringField('reading_id', reading.id)
    .timestamp(reading.takenAt);
  if (reading.consumption !== null) point.floatField('consumption', reading.consumption);
  if (reading.flowPerHour !== null) point.floatField('flow_per_hour', reading.flowPerHour);
  if (reading.energy !== null) point.floatField('energy', reading.energy);
  return point;
}
