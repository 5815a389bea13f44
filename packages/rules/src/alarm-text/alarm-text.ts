import { IntlMessageFormat } from 'intl-messageformat';
import type { JsonValue, RuleOutcome } from '../plugin.js';
import { en, type AlarmTextCode } from './en.js';
import { ko } from './ko.js';

/** The languages alarm texts are written in. */
export type AlarmTextLocale = 'en' | 'ko';

export const ALARM_TEXT_LOCALES: readonly AlarmTextLocale[] = ['en', 'ko'];

/** Anything else (a user without a language, an organization without a default) reads English. */
export const alarmTextLocale = (locale: string | null | undefined): AlarmTextLocale => (locale === 'ko' ? 'ko' : 'en');

/** Values an alarm text is made of: numbers are worded in the reader's locale where the message says `{x, number}`, strings as they are. */
export type AlarmTextParams = Record<string, string | number>;

/** A built-in rule's alarm as a code of the catalogues and its values, stored next to the English message. */
export interface AlarmText {
  code: AlarmTextCode;
  params: AlarmTextParams;
}

const CATALOGUES: Record<AlarmTextLocale, Record<AlarmTextCode, string>> = { en, ko };

const isCode = (code: string): code is AlarmTextCode => Object.hasOwn(en, code);

/** The text of a code in a language; undefined for a code the catalogues do not have. */
export function alarmText(locale: AlarmTextLocale, code: string, params: AlarmTextParams): string | undefined {
  if (!isCode(code)) return undefined;
  return String(new IntlMessageFormat(CATALOGUES[locale][code], locale).format(params));
}

/** What an alarm row keeps of its text (Alarm.message, messageCode, messageParams). */
export interface StoredAlarmText {
  message: string;
  messageCode?: string | null;
  messageParams?: unknown;
}

const isParams = (value: unknown): value is AlarmTextParams =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');

/**
 * An alarm's message in a reader's language: its code worded by the catalogue, else (a plugin's own
 * text, an alarm raised before codes were stored) the message as the rule wrote it.
 */
export function alarmMessageIn(locale: AlarmTextLocale, alarm: StoredAlarmText): string {
  const params = alarm.messageParams ?? {};
  return (alarm.messageCode && isParams(params) && alarmText(locale, alarm.messageCode, params)) || alarm.message;
}

/** A built-in rule's raise: the English message of its code, the code and params for other readers. */
export function raised(text: AlarmText, details?: { [key: string]: JsonValue }): Extract<RuleOutcome, { state: 'raise' }> {
  return { state: 'raise', message: alarmText('en', text.code, text.params)!, text, ...(details ? { details } : {}) };
}
