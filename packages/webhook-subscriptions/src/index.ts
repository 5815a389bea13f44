export * from './schemas.js';
export * from './webhook-subscriptions.js';
export { findDeliveries, isOrgDelivery } from './webhook-subscription.repository.js';
