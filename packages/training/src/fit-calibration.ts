import { augmentInto, type AugmentOptions, type Calibration, createRng, type DigitDataset, fitTemperature, inputValues, predictProbabilities, type tf } from '@metertwin/recognizer';

/** Augmented views of each held-out crop the temperature is fitted on. */
export const CALIBRATION_VIEWS = 3;

/**
 * Fit the model's temperature on crops of train meters held out of training; with `augment`, each
 * seen through the training augmentation (CALIBRATION_VIEWS views, label turned with a rotated dial).
 * Held-out train meters alone are too easy a stand-in for digit meters never seen: fitted on them,
 * the digit ensemble was sure of itself (T 0.21) and wrong on unseen meters (val ECE 8.8%); on
 * augmented views of the same crops it fits T 0.449 and val ECE 4.2% (see models/digits/README.md).
 * The pointer set is one meter, so its held-out pointer is already like val: it is fitted plain.
 */
export async function fitHeldOutCalibration(
  model: tf.LayersModel,
  dataset: DigitDataset,
  indices: number[],
  options: {
    meters: readonly string[];
    augment?: AugmentOptions;
    shifts?: number[];
    seed?: number;
    log?: (line: string) => void;
  },
): Promise<Calibration> {
  const values = inputValues(dataset.input);
  const rng = createRng((options.seed ?? 1) * 31 + 5);
  const tmp = new Float32Array(values);
  const crops: Uint8Array[] = [];
  const classes: number[] = [];
  const views = options.augment ? CALIBRATION_VIEWS : 1;
  for (const i of indices) {
    if (!options.augment) {
      crops.push(dataset.pixels.subarray(i * values, (i + 1) * values));
      classes.push(dataset.samples[i]!.cls);
      continue;
    }
    for (let v = 0; v < views; v++) {
      const turned = augmentInto(dataset.pixels, i * values, tmp, rng, {
        ...options.augment,
        input: dataset.input,
      });
      crops.push(Uint8Array.from(tmp, (x) => Math.round(x)));
      classes.push(((Math.round((dataset.samples[i]!.value + turned) * 10) % 100) + 100) % 100);
    }
  }
  const probs = await predictProbabilities(model, crops, { shifts: options.shifts });
  const fit = fitTemperature(probs, classes);
  options.log?.(
    `calibration: temperature ${fit.temperature} (Brier ${fit.brier} on ` +
      (options.augment
        ? `${crops.length} augmented views of ${indices.length} held-out crops)`
        : `${crops.length} held-out crops)`),
  );
  return {
    temperature: fit.temperature,
    fittedOn: `held-out train meters${options.augment ? `, ${views} augmented views of each crop` : ''}: ${options.meters.join(', ')}`,
    n: crops.length,
    brier: fit.brier,
    head: 'tenths100',
    ...(options.shifts ? { shifts: options.shifts } : {}),
  };
}
