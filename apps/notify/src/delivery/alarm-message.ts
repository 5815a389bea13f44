import type { AlarmStatus, Severity } from '@metertwin/db';

/** What every channel tells about one alarm event; the event id lets receivers drop duplicates. */
export interface AlarmMessage {
  eventId: string;
  kind: 'raised' | 'digest';
  alarmId: string;
  meterId: string;
  severity: Severity;
  title: string;
  body: string;
  /** The alarm's meter in the portal, when PORTAL_URL is set. */
  url?: string;
}

export interface AlarmFacts {
  id: string;
  meterId: string;
  severity: Severity;
  message: string;
  meterName: string;
  /** A held or digest notification may go out after the alarm was acknowledged or cleared: it says so. */
  status: AlarmStatus;
}

const STATUS_NOTE: Record<AlarmStatus, string> = { active: '', acknowledged: ' [acknowledged]', cleared: ' [cleared since]' };
const LABEL: Record<Severity, string> = { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' };

export function alarmMessage(alarm: AlarmFacts, eventId: string, digest: { repeats: number } | undefined, portalUrl: string | undefined): AlarmMessage {
  return {
    eventId,
    kind: digest ? 'digest' : 'raised',
    alarmId: alarm.id,
    meterId: alarm.meterId,
    severity: alarm.severity,
    title: `${LABEL[alarm.severity]}: ${alarm.meterName}`,
    body: (digest ? `${alarm.message} (repeated ${digest.repeats}× since the last notification)` : alarm.message) + STATUS_NOTE[alarm.status],
    url: portalUrl ? new URL(`/meters/${encodeURIComponent(alarm.meterId)}`, portalUrl).toString() : undefined,
  };
}
