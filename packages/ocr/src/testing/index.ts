export {
  startFakeVisionServer,
  imageSize,
  type FakeVisionBehavior,
  type FakeVisionRequest,
  type FakeVisionServer,
} from './fake-vision-server.js';
