export * from './meter-value.js';
export { findAnchorInForce, findMeterAnchors, findNextAnchor } from './meter-anchor.repository.js';
export {
  findMeterReadingsPage,
  findOrgMeter,
  findOrgMetersPage,
  type MeterListing,
  type ReadingListing,
} from './meter-listing.repository.js';
