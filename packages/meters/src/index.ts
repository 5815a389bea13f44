export * from './meter-value.js';
export { findAnchorInForce, findMeterAnchors, findNextAnchor } from './meter-anchor.repository.js';
