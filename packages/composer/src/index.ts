export {
  composeMeter,
  COMPOSE_STYLES,
  wheelValues,
  randomMount,
  type Mount,
  type ComposeOptions,
  type ComposeTruth,
  type ComposedMeter,
  type WheelTruth,
} from './compose.js';
export { createRng, uniform } from './random.js';
