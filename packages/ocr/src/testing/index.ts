export {
  startFakeVisionServer,
  imageSize,
  pngOfSize,
  type FakeVisionBehavior,
  type FakeVisionRequest,
  type FakeVisionServer,
} from './fake-vision-server.js';
export {
  startFakeAzureVisionServer,
  type FakeAzureBehavior,
  type FakeAzureRequest,
  type FakeAzureVisionServer,
} from './fake-azure-vision-server.js';
