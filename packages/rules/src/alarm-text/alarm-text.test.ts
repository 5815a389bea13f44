import { describe, expect, it } from 'vitest';
import { builtInRules } from '../built-in-rules.js';
import { alarmMessageIn, alarmText } from './alarm-text.js';
import { en } from './en.js';
import { ko } from './ko.js';

describe('alarm texts', () => {
  it('has every code in both languages, each a message both can format', () => {
    expect(Object.keys(ko).toSorted()).toEqual(Object.keys(en).toSorted());
    for (const code of Object.keys(en)) {
      for (const locale of ['en', 'ko'] as const) {
        expect(alarmText(locale, code, { value: '1', limit: 2, flow: 3, period: 'day', used: 4, hours: 5, from: '01:00', to: '05:00', lowestFlow: 6, minutes: 7, lastAt: 'x', run: 8, direction: 'rose', size: 9, factor: 10, median: 11, percent: 12, budget: 13 })).toMatch(/\S/);
      }
    }
  });

  it('words the same alarm in each language, numbers in the locale', () => {
    const params = { percent: 1250, period: 'month', used: 12.5, budget: 1 };
    expect(alarmText('en', 'budget.used', params)).toBe('1,250% of the monthly budget used (12.5 of 1)');
    expect(alarmText('ko', 'budget.used', params)).toBe('월간 예산의 1,250% 사용 (1 중 12.5)');
    expect(alarmText('en', 'stuck-review.run', { run: 1 })).toBe('1 reading in a row needs review or was rejected');
    expect(alarmText('ko', 'sudden-jump.above', { direction: 'dropped', size: 3, limit: 2 })).toBe('계량기 값이 3만큼 감소, 한도 2 초과');
  });

  it("keeps the stored message for a code it does not know (a plugin's own text) or no code", () => {
    expect(alarmMessageIn('ko', { message: 'weekend use', messageCode: 'acme/weekend', messageParams: {} })).toBe('weekend use');
    expect(alarmMessageIn('ko', { message: 'old alarm', messageCode: null })).toBe('old alarm');
    expect(alarmMessageIn('ko', { message: 'x', messageCode: 'threshold.above', messageParams: { value: '5', limit: 4 } })).toBe('검침값 5, 상한 4 초과');
  });

  it('is what every built-in rule type raises with', () => {
    const types = builtInRules.map((rule) => rule.type).toSorted();
    expect([...new Set(Object.keys(en).map((code) => code.split('.')[0]))].toSorted()).toEqual(types);
  });
});
