import { HomeAssistantTopic } from '@metertwin/contracts';
import type { MeterKind } from '@metertwin/db';


interface MeterForHa {
  id: string;
  name: string;
  location: string;
  kind: MeterKind;
  unit: string;
}

/** HA's device classes by meter kind: a heat meter's counter is the volume of hot water through it. */
const DEVICE_CLASS: Record<MeterKind, 'water' | 'gas'> = { water: 'water', hot_water: 'water', heat: 'water', gas: 'gas' };
/** HA accepts these spellings for water and gas volumes (m³, L, ft³, gal, CCF). */
const HA_UNIT: Record<string, string> = { m3: 'm³', 'm³': 'm³', l: 'L', L: 'L', ft3: 'ft³', gal: 'gal', ccf: 'CCF' };

/**
 * The retained discovery config that makes a meter appear in Home Assistant (and its energy
 * dashboard: state_class total_increasing) with no YAML; its state is the JSON published to the
 * state topic, the value in `value`.
 */
export function discoveryConfig(meter: MeterForHa, org: { slug: string; name: string }): Record<string, unknown> {
  return {
    name: 'Reading',
    unique_id: `metertwin_${meter.id}_reading`,
    object_id: `metertwin_${meter.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
    state_topic: HomeAssistantTopic.state(org.slug, meter.id),
    value_template: '{{ value_json.value }}',
    json_attributes_topic: HomeAssistantTopic.state(org.slug, meter.id),
    json_attributes_template: '{{ {"taken_at": value_json.taken_at, "confidence": value_json.confidence, "reading_id": value_json.reading_id} | tojson }}',
    device_class: DEVICE_CLASS[meter.kind],
    state_class: 'total_increasing',
    unit_of_measurement: HA_UNIT[meter.unit] ?? meter.unit,
    availability_topic: HomeAssistantTopic.availability,
    device: {
      identifiers: [`metertwin_${meter.id}`],
      name: meter.name,
      manufacturer: 'MeterTwin',
      model: `${meter.kind.replace('_', ' ')} meter (camera)`,
      suggested_area: meter.location || undefined,
    },
    origin: { name: 'MeterTwin' },
  };
}

/** The state published for an accepted reading. */
export function readingState(reading: { id: string; numeric: number; takenAt: Date; confidence: number }) {
  return { value: reading.numeric, taken_at: reading.takenAt.toISOString(), confidence: reading.confidence, reading_id: reading.id };
}
