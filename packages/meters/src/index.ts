export * from './meter-value.js';
export { findAnchorInForce, findMeterAnchors, findNextAnchor } from './meter-anchor.repository.js';
export {
  findMeterReadingsPage,
  findOrgMeter,
  findOrgMetersPage,
  type MeterListing,
  type ReadingListing,
} from './meter-listing.repository.js';
export * from './meter-settings.js';
export * from './camera-settings.js';
export { CameraUrlSchema, cameraPolicy, checkCameraUrl } from './camera-url.js';
export * from './meter-lifecycle.js';
export * from './rereference.js';
export { requestSnapshot } from './snapshot-request.js';
