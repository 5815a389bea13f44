import type { AlarmStatus, Severity } from '@metertwin/db';
import { alarmMessageIn, type StoredAlarmText } from '@metertwin/rules';

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
  /** The language the message is worded in (a channel adds its own words in it: Slack's link). */
  locale: MessageLocale;
}

export interface AlarmFacts extends StoredAlarmText {
  id: string;
  meterId: string;
  severity: Severity;
  meterName: string;
  /** A held or digest notification may go out after the alarm was acknowledged or cleared: it says so. */
  status: AlarmStatus;
}

/** The receiver's language (User.locale, chosen in the portal, else the organization's default; a Slack channel's is its organization's); without either, English. */
export type MessageLocale = 'en' | 'ko';

export function messageLocale(locale: string | null | undefined): MessageLocale {
  return locale === 'ko' ? 'ko' : 'en';
}

/** The words of a notification in each language; the alarm's own message is its rule's (alarmMessageIn). */
const TEXT: Record<
  MessageLocale,
  {
    severity: Record<Severity, string>;
    status: Record<AlarmStatus, string>;
    repeated: (n: number) => string;
    /** Slack: the link to the meter, and the event id's line. */
    open: string;
    event: string;
  }
> = {
  en: {
    severity: { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' },
    status: { active: '', acknowledged: ' [acknowledged]', cleared: ' [cleared since]' },
    repeated: (n) => ` (repeated ${n}× since the last notification)`,
    open: 'Open in MeterTwin',
    event: 'event',
  },
  ko: {
    severity: { critical: '심각', major: '중요', minor: '경미', warning: '주의' },
    status: { active: '', acknowledged: ' [확인됨]', cleared: ' [이후 해제됨]' },
    repeated: (n) => ` (지난 알림 이후 ${n}회 반복)`,
    open: 'MeterTwin에서 보기',
    event: '이벤트',
  },
};

export function alarmMessage(
  alarm: AlarmFacts,
  eventId: string,
  digest: { repeats: number } | undefined,
  portalUrl: string | undefined,
  locale: MessageLocale = 'en',
): AlarmMessage {
  const text = TEXT[locale];
  return {
    eventId,
    kind: digest ? 'digest' : 'raised',
    alarmId: alarm.id,
    meterId: alarm.meterId,
    severity: alarm.severity,
    title: `${text.severity[alarm.severity]}: ${alarm.meterName}`,
    body: alarmMessageIn(locale, alarm) + (digest ? text.repeated(digest.repeats) : '') + text.status[alarm.status],
    url: portalUrl ? new URL(`/meters/${encodeURIComponent(alarm.meterId)}`, portalUrl).toString() : undefined,
    locale,
  };
}

/** A channel's own words around the message, in the message's language. */
export function channelWords(locale: MessageLocale): { open: string; event: string } {
  return { open: TEXT[locale].open, event: TEXT[locale].event };
}
