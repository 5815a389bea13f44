// One import point for TensorFlow.js, so every module shares the same engine instance.
import * as tf from '@tensorflow/tfjs';

export { tf };
