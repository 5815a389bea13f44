export * from './plugin.js';
export * from './registry.js';
export * from './plugin-modules.js';
export * from './engine.js';
export * from './built-in-rules.js';
export * from './threshold.rule.js';
export * from './flow-rate.rule.js';
export * from './consumption.rule.js';
export * from './continuous-flow.rule.js';
export * from './no-reading.rule.js';
export * from './stuck-review.rule.js';
export * from './sudden-jump.rule.js';
export * from './budget.rule.js';
// Building blocks for rule plugins, built in or not.
export { flowPerHour, isUsable, usableSeries, type UsableReading } from './series.js';
export { consumptionSince } from './period-consumption.js';
export { isTimeZone, localTime, periodStart, PeriodSchema, TimeZoneSchema, type LocalTime, type Period } from './zoned-time.js';
export { RuleActionSchema, RuleActionsSchema, type RuleAction } from './rule-actions.js';
export { MAX_QUANTITY, MAX_WINDOW_HOURS, MAX_WINDOW_MS, positiveQuantity, quantity, readingCount, spanHours, spanMinutes } from './limits.js';
