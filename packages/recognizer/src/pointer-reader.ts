import type { CropImage } from '@metertwin/contracts';
import { loadPointerClassifier, type PointerClassifier, type PointerPrediction } from './classifier.js';
import { readNeedle } from './needle-geometry.js';

/** The model and the geometry agree when their positions are this close (steps, around the dial). */
const AGREE_WITHIN = 0.5;
/** A dial the two readers disagree on goes to review. */
const DISAGREED_CONFIDENCE = 0.5;

/**
 * One dial from both readers: a red pointer's geometry (which knows no meter in particular) checks
 * the model. Agreeing, the geometry's finer position is kept at the model's confidence (agreement is
 * not made into more confidence: on composed dial frames that accepted 5 wrong readings in 600);
 * disagreeing, the geometry's position (right on 29 of the 31 disagreements measured, the model on
 * none) goes to review. A pointer that is not red is the model's alone. Figures: docs/models.md.
 */
export function combinePointerReadings(model: PointerPrediction, crop: CropImage): PointerPrediction {
  const geometry = crop.channels === 3 ? readNeedle(Buffer.from(crop.data, 'base64'), crop.width, crop.height) : undefined;
  if (!geometry) return model;
  const apart = Math.abs(geometry.value - model.value) % 10;
  if (Math.min(apart, 10 - apart) <= AGREE_WITHIN) return { value: geometry.value, confidence: model.confidence };
  return { value: geometry.value, confidence: Math.min(model.confidence, DISAGREED_CONFIDENCE) };
}

/**
 * Reads pointer dials with the pointer model, loaded on the first photo that has dials (most meters
 * have none, and the recognize service must start without that model); the recognize service and the
 * CLI's `read` both read dials through it, the model checked by the pointer's geometry
 * (combinePointerReadings). When the model cannot be loaded, dials are not read: the
 * reading keeps the drums' resolution, which is still a true value.
 */
export class PointerReader {
  private model: Promise<PointerClassifier | Error> | undefined;

  constructor(private readonly modelDir: string | undefined) {}

  /** Dial positions (0–10), or an Error saying why the dials cannot be read. */
  async read(crops: CropImage[]): Promise<PointerPrediction[] | Error> {
    this.model ??= loadPointerClassifier(this.modelDir).catch(
      (error: unknown) =>
        new Error(`no pointer model: ${error instanceof Error ? error.message : String(error)}`),
    );
    const model = await this.model;
    if (model instanceof Error) return model;
    const predictions = await model.classify(crops);
    return predictions.map((prediction, i) => combinePointerReadings(prediction, crops[i]!));
  }

  async dispose(): Promise<void> {
    const model = await this.model;
    if (model && !(model instanceof Error)) model.dispose();
  }
}
