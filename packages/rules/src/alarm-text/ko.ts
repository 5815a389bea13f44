import type { AlarmTextCode } from './en.js';

/** The built-in rules' alarm texts in Korean; the type makes a code missing here a compile error. */
export const ko: Record<AlarmTextCode, string> = {
  'threshold.above': '검침값 {value}, 상한 {limit, number} 초과',
  'threshold.below': '검침값 {value}, 하한 {limit, number} 미만',
  'flow-rate.above': '유량 {flow, number}/h, 한도 {limit, number}/h 초과',
  'consumption.above': '이번 {period, select, hour {시간} day {날} week {주} other {달}} 사용량 {used, number}, 한도 {limit, number} 초과',
  'continuous-flow.leak': '누수 의심: {from}~{to} 사이 {hours, number}시간 동안 유량이 0으로 떨어지지 않음 (최소 {lowestFlow, number}/h)',
  'no-reading.silent': '{minutes, number}분 동안 승인된 검침값 없음 (마지막: {lastAt})',
  'stuck-review.run': '검침값 {run, number}건이 연속으로 검토가 필요하거나 거부됨',
  'sudden-jump.above': '계량기 값이 {size, number}만큼 {direction, select, dropped {감소} other {증가}}, 한도 {limit, number} 초과',
  'sudden-jump.median': '계량기 값이 {size, number}만큼 {direction, select, dropped {감소} other {증가}}, 최근 중앙값 변화 {median, number}의 {factor, number}배',
  'budget.used': '{period, select, day {일일} other {월간}} 예산의 {percent, number}% 사용 ({budget, number} 중 {used, number})',
};
