export * from './actor.js';
export * from './domain-error.js';
export * from './alarm-lifecycle.js';
export * from './rule-input.js';
export * from './rule-management.js';
export { findOrgRule, findOrgRules, findOrgRulesWithMeter } from './rule.repository.js';
