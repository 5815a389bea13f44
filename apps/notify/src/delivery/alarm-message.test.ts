import { describe, expect, it } from 'vitest';
import { alarmMessage, messageLocale, type AlarmFacts } from './alarm-message.js';
import { slackBody } from './slack.sender.js';

const alarm: AlarmFacts = {
  id: 'a1',
  meterId: 'm 1',
  severity: 'major',
  message: 'Flow 1.8 m³/h above 1 m³/h',
  meterName: '본관 급수',
  status: 'active',
};

describe('alarmMessage', () => {
  it('speaks English by default, and Korean to a user who chose it', () => {
    expect(alarmMessage(alarm, 'e1', undefined, 'https://portal.example')).toMatchObject({
      title: 'Major: 본관 급수',
      body: 'Flow 1.8 m³/h above 1 m³/h',
      url: 'https://portal.example/meters/m%201',
    });
    expect(alarmMessage(alarm, 'e1', undefined, undefined, 'ko')).toMatchObject({ title: '중요: 본관 급수' });
  });

  it('says how often a digest folded the alarm and that it was acted on since, in both languages', () => {
    const acted = { ...alarm, severity: 'critical' as const, status: 'acknowledged' as const };
    expect(alarmMessage(acted, 'e2', { repeats: 3 }, undefined, 'en')).toMatchObject({
      kind: 'digest',
      title: 'Critical: 본관 급수',
      body: 'Flow 1.8 m³/h above 1 m³/h (repeated 3× since the last notification) [acknowledged]',
    });
    expect(alarmMessage({ ...acted, status: 'cleared' }, 'e2', { repeats: 3 }, undefined, 'ko')).toMatchObject({
      title: '심각: 본관 급수',
      body: 'Flow 1.8 m³/h above 1 m³/h (지난 알림 이후 3회 반복) [이후 해제됨]',
    });
  });

  it("words a built-in rule's alarm in the receiver's language from its code, keeping a plugin's own text", () => {
    const coded = { ...alarm, message: 'flow 1.8/h is above 1/h', messageCode: 'flow-rate.above', messageParams: { flow: 1.8, limit: 1 } };
    expect(alarmMessage(coded, 'e3', undefined, undefined, 'ko').body).toBe('유량 1.8/h, 한도 1/h 초과');
    expect(alarmMessage(coded, 'e3', undefined, undefined, 'en').body).toBe('flow 1.8/h is above 1/h');
    expect(alarmMessage({ ...alarm, messageCode: null }, 'e3', undefined, undefined, 'ko').body).toBe('Flow 1.8 m³/h above 1 m³/h');
  });

  it('takes the profile language, English when none or an unknown one', () => {
    expect([messageLocale('ko'), messageLocale('en'), messageLocale(null), messageLocale('de')]).toEqual(['ko', 'en', 'en', 'en']);
  });
});

describe('slackBody', () => {
  it("words Slack's link and event line in the message's language", () => {
    const ko = JSON.stringify(slackBody(alarmMessage(alarm, 'e9', undefined, 'https://portal.example', 'ko')));
    expect(ko).toContain('|MeterTwin에서 보기>');
    expect(ko).toContain('이벤트 e9');
    expect(ko).not.toMatch(/Open in|event e9/);
    const en = JSON.stringify(slackBody(alarmMessage(alarm, 'e9', undefined, 'https://portal.example', 'en')));
    expect(en).toContain('|Open in MeterTwin>');
    expect(en).toContain('event e9');
  });
});
