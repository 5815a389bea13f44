/**
 * What the built-in rules say when they raise, in English: ICU messages (intl-messageformat) by
 * code, with the params the rule stores on the alarm. The stored `message` is this text, so logs,
 * the API and third-party tools read English; each reader gets ko.ts instead where it applies.
 */
export const en = {
  'threshold.above': 'reading {value} is above {limit, number}',
  'threshold.below': 'reading {value} is below {limit, number}',
  'flow-rate.above': 'flow {flow, number}/h is above {limit, number}/h',
  'consumption.above': 'consumption this {period, select, hour {hour} day {day} week {week} other {month}} is {used, number}, above {limit, number}',
  'continuous-flow.leak': 'possible leak: flow has not dropped to zero for {hours, number} h between {from} and {to} (at least {lowestFlow, number}/h)',
  'no-reading.silent': 'no accepted reading for {minutes, number} min (last at {lastAt})',
  'stuck-review.run': '{run, plural, one {# reading} other {# readings}} in a row {run, plural, one {needs review or was rejected} other {need review or were rejected}}',
  'sudden-jump.above': 'counter {direction, select, dropped {dropped} other {rose}} by {size, number}, more than {limit, number}',
  'sudden-jump.median': 'counter {direction, select, dropped {dropped} other {rose}} by {size, number}, {factor, number}× the median step {median, number}',
  'budget.used': '{percent, number}% of the {period, select, day {daily} other {monthly}} budget used ({used, number} of {budget, number})',
} as const;

export type AlarmTextCode = keyof typeof en;
