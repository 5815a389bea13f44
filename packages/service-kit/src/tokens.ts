/** Injection tokens for what service-kit provides. */
export const CONFIG = Symbol('CONFIG');
export const REDIS = Symbol('REDIS');
export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');
