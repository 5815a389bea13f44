export * from './actor.js';
export * from './domain-error.js';
export * from './field-issues.js';
export * from './alarm-lifecycle.js';
export {
  advanceAnnounced,
  countOrgAlarmsByStatus,
  findAlarm,
  findOrgAlarmsForList,
  findOrgAlarmsPage,
  findUnannouncedAlarms,
  getAlarm,
} from './alarm.repository.js';
export * from './rule-input.js';
export * from './actuator-config.js';
export { needsSealing, openActuatorConfig, redactActuatorConfig, sealActuatorConfig } from './actuator-secrets.js';
export * from './actuator-management.js';
export * from './rule-management.js';
export {
  findEnabledRulesOfTypes,
  findOrgRule,
  findOrgRules,
  findOrgRulesWithMeter,
  findRuleActions,
  findRulesForMeter,
} from './rule.repository.js';
export { ruleAppliesTo, type ScopedMeter } from './rule-scope.js';
export * from './actuator-commands.js';
export { findAuditActions, findAuditEntries, recordAudit, type AuditFilter } from './audit-log.repository.js';
export * from './notification-preferences.js';
export * from './notification-preference.repository.js';
export {
  deleteOrgActuator,
  findActuatorConfigs,
  findCommand,
  findCommandWithActuator,
  findOrgActuator,
  findUnfinishedCommands,
  getCommandWithOrg,
  markCommandSent,
  recordCommandError,
  updateActuatorConfig,
  findOrgActuatorCommand,
  findOrgActuatorNames,
  findOrgActuators,
  findOrgActuatorsForList,
  findOrgActuatorWithCommands,
  insertActuator,
} from './actuator.repository.js';
export { isOrgMeter } from './org-membership.repository.js';
export { userNamesById } from './user.repository.js';
export { findMetersByIdOrOrg, findOrgMeterTargets } from './meter.repository.js';
export { clearRuleAlarm, raiseRuleAlarm, type RaiseOutcome } from './rule-alarms.js';
export { findRuleStates, saveRuleState } from './rule-state.repository.js';
